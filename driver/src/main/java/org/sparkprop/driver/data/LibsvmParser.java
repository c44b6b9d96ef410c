package org.sparkprop.driver.data;

import java.io.Serializable;

/**
 * Parses LIBSVM / SVMlight lines: {@code label idx:val idx:val ... [# comment]}.
 *
 * <p>Tokens are separated by spaces or tabs; a trailing {@code '\r'} is ignored, everything from
 * {@code '#'} on is a comment, and a {@code qid:N} token (SVMrank) is ignored. Indices are 1-based
 * by default ({@code oneBased = true}) and are stored 0-based in the {@link ParsedRow}; they must
 * be strictly increasing. Zero values are dropped. Labels and values must be finite.
 *
 * <p>The parser scans the line by index, without regular expressions or {@code String.split},
 * and allocates nothing per line for plain decimal numbers. It is immutable, thread-safe and
 * serializable, so it can be shipped to Spark tasks.
 */
public final class LibsvmParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean oneBased;
  private final int numFeatures;

  /** 1-based indices, dimension not fixed. */
  public LibsvmParser() {
    this(true, 0);
  }

  /**
   * @param oneBased whether the file's indices start at 1 (the LIBSVM convention) rather than 0
   * @param numFeatures the feature dimension ({@code data.num_features}); 0 when not fixed
   */
  public LibsvmParser(boolean oneBased, int numFeatures) {
    if (numFeatures < 0) {
      throw new IllegalArgumentException(
          "numFeatures must be >= 0 (0 = not fixed), got " + numFeatures);
    }
    this.oneBased = oneBased;
    this.numFeatures = numFeatures;
  }

  /** Whether the file's indices start at 1. */
  public boolean oneBased() {
    return oneBased;
  }

  /** The fixed feature dimension, or 0 when not fixed. */
  public int numFeatures() {
    return numFeatures;
  }

  /** True when the line holds no record: empty, only spaces/tabs/CR, or a {@code #} comment. */
  public boolean isBlankOrComment(String line) {
    int end = line.length();
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      if (c == '#') {
        return true;
      }
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses one line into {@code out} (cleared first; the result is sparse with 0-based indices).
   *
   * @throws RecordFormatException if the line is malformed; its token is the offending token
   */
  public void parse(String line, ParsedRow out) {
    out.clearSparse();
    int end = line.indexOf('#');
    if (end < 0) {
      end = line.length();
    }
    end = Numbers.trimmedEnd(line, 0, end);
    int i = skipBlanks(line, 0, end);
    if (i == end) {
      throw new RecordFormatException("line has no label (it is empty or only a comment)", null);
    }
    int tokenEnd = tokenEnd(line, i, end);
    out.setLabel(parseLabel(line, i, tokenEnd));
    int minIndex = oneBased ? 1 : 0;
    int previous = -1;
    i = skipBlanks(line, tokenEnd, end);
    while (i < end) {
      tokenEnd = tokenEnd(line, i, end);
      int colon = -1;
      for (int k = i; k < tokenEnd; k++) {
        if (line.charAt(k) == ':') {
          colon = k;
          break;
        }
      }
      if (colon < 0) {
        throw new RecordFormatException(
            "missing ':' in feature '" + line.substring(i, tokenEnd) + "' (expected index:value)",
            line.substring(i, tokenEnd));
      }
      if (colon - i == 3 && line.regionMatches(i, "qid", 0, 3)) {
        i = skipBlanks(line, tokenEnd, end);
        continue;
      }
      long index = parseIndex(line, i, colon, tokenEnd);
      if (index < minIndex) {
        String why =
            index < 0
                ? "is negative"
                : "is below 1 (indices are 1-based; set data.libsvm.one_based = false for"
                    + " 0-based files)";
        throw new RecordFormatException(
            "feature index " + index + " " + why, line.substring(i, tokenEnd));
      }
      long column = index - minIndex;
      if (numFeatures > 0 && column >= numFeatures) {
        long maxIndex = numFeatures - 1L + minIndex;
        throw new RecordFormatException(
            "feature index " + index + " is out of range: data.num_features = " + numFeatures
                + " allows indices " + minIndex + ".." + maxIndex
                + " (raise data.num_features or leave it unset to infer it)",
            line.substring(i, tokenEnd));
      }
      if (column > Integer.MAX_VALUE - 1) {
        throw new RecordFormatException(
            "feature index " + index + " is too large", line.substring(i, tokenEnd));
      }
      if (column <= previous) {
        throw new RecordFormatException(
            "indices must be strictly increasing (index " + index + " follows "
                + (previous + minIndex) + ")",
            line.substring(i, tokenEnd));
      }
      previous = (int) column;
      float value = parseValue(line, i, colon + 1, tokenEnd);
      if (value != 0f) {
        out.addSparse((int) column, value);
      }
      i = skipBlanks(line, tokenEnd, end);
    }
  }

  private static float parseLabel(String line, int from, int to) {
    float label;
    try {
      label = Numbers.parseFloat(line, from, to);
    } catch (NumberFormatException e) {
      String token = line.substring(from, to);
      throw new RecordFormatException("bad label '" + token + "'", token);
    }
    if (!Float.isFinite(label)) {
      String token = line.substring(from, to);
      throw new RecordFormatException(Numbers.nonFiniteProblem("label", token), token);
    }
    return label;
  }

  /** Parses the digits of {@code line[from, colon)}; the result may be negative. */
  private static long parseIndex(String line, int from, int colon, int tokenEnd) {
    int i = from;
    boolean negative = false;
    if (i < colon && line.charAt(i) == '-') {
      negative = true;
      i++;
    }
    if (i == colon || colon - i > 12) {
      throw badIndex(line, from, colon, tokenEnd);
    }
    long index = 0;
    for (; i < colon; i++) {
      int d = line.charAt(i) - '0';
      if (d < 0 || d > 9) {
        throw badIndex(line, from, colon, tokenEnd);
      }
      index = index * 10 + d;
    }
    return negative ? -index : index;
  }

  private static RecordFormatException badIndex(String line, int from, int colon, int tokenEnd) {
    return new RecordFormatException(
        "bad feature index '" + line.substring(from, colon) + "' (expected a whole number)",
        line.substring(from, tokenEnd));
  }

  private static float parseValue(String line, int tokenStart, int from, int to) {
    float value;
    try {
      value = Numbers.parseFloat(line, from, to);
    } catch (NumberFormatException e) {
      throw new RecordFormatException(
          "bad feature value '" + line.substring(from, to) + "'", line.substring(tokenStart, to));
    }
    if (!Float.isFinite(value)) {
      throw new RecordFormatException(
          Numbers.nonFiniteProblem("feature value", line.substring(from, to)),
          line.substring(tokenStart, to));
    }
    return value;
  }

  private static int skipBlanks(String line, int i, int end) {
    while (i < end && Numbers.isBlank(line.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int tokenEnd(String line, int i, int end) {
    while (i < end && !Numbers.isBlank(line.charAt(i))) {
      i++;
    }
    return i;
  }
}
