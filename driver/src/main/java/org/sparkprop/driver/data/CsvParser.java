package org.sparkprop.driver.data;

import java.io.Serializable;

/**
 * Parses delimited numeric lines (CSV, TSV) into a label and dense features.
 *
 * <p>Every column must be a finite number. The label is column {@code labelColumn} (0-based; -1
 * means the last column); the features are all other columns, in order. Spaces (and tabs, unless
 * the delimiter is a tab) around a field, a pair of double quotes around a field and a trailing
 * {@code '\r'} are tolerated. Numbers are parsed locale-independently ({@code 1.5}, never {@code
 * 1,5}). A header line is the caller's business: skip it before calling {@link #parse}.
 *
 * <p>Column count: when {@code expectedColumns > 0} every line must have exactly that many
 * columns; otherwise the first line parsed by this instance fixes the count for the lines after
 * it. That remembered count is the only mutable state, so use one instance per task thread (Spark
 * deserializes a fresh copy per task, which is what you want).
 */
public final class CsvParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final char delimiter;
  private final int labelColumn;
  private final int expectedColumns;
  private int seenColumns;

  /** Comma-delimited, label in the first column, column count taken from the first line. */
  public CsvParser() {
    this(',', 0, 0);
  }

  /**
   * @param delimiter the field separator, e.g. ',' or '\t'; not a digit, '.', '-', '+' or '"'
   * @param labelColumn 0-based column of the label; -1 for the last column
   * @param expectedColumns the number of columns of every line (label included); 0 = take it
   *     from the first line parsed
   */
  public CsvParser(char delimiter, int labelColumn, int expectedColumns) {
    if ((delimiter >= '0' && delimiter <= '9') || delimiter == '.' || delimiter == '-'
        || delimiter == '+' || delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
      throw new IllegalArgumentException("delimiter '" + delimiter + "' is not allowed");
    }
    if (labelColumn < -1) {
      throw new IllegalArgumentException(
          "labelColumn must be >= 0, or -1 for the last column, got " + labelColumn);
    }
    if (expectedColumns < 0 || expectedColumns == 1) {
      throw new IllegalArgumentException(
          "expectedColumns must be >= 2 (label + features), or 0 = not fixed, got "
              + expectedColumns);
    }
    if (expectedColumns > 0 && labelColumn >= expectedColumns) {
      throw new IllegalArgumentException(
          "labelColumn " + labelColumn + " does not exist with " + expectedColumns + " columns");
    }
    this.delimiter = delimiter;
    this.labelColumn = labelColumn;
    this.expectedColumns = expectedColumns;
  }

  /** The field separator. */
  public char delimiter() {
    return delimiter;
  }

  /** 0-based label column, or -1 for the last column. */
  public int labelColumn() {
    return labelColumn;
  }

  /** The configured column count (label included), or 0 when not fixed. */
  public int expectedColumns() {
    return expectedColumns;
  }

  /**
   * The column count lines must have: the configured one, else the first parsed line's, else 0
   * when nothing has been parsed yet.
   */
  public int columns() {
    return expectedColumns > 0 ? expectedColumns : seenColumns;
  }

  /** True when the line is empty or holds only spaces, tabs and line-break characters. */
  public boolean isBlank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses one line into {@code out} (cleared first; the result is dense: the non-label columns
   * in order, and the label).
   *
   * @throws RecordFormatException if the line is malformed; its token is the offending field
   */
  public void parse(String line, ParsedRow out) {
    out.clear();
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
      end--;
    }
    int required = columns();
    int column = 0;
    int start = 0;
    boolean haveLabel = false;
    while (true) {
      int stop = start;
      while (stop < end && line.charAt(stop) != delimiter) {
        stop++;
      }
      if (required > 0 && column >= required) {
        throw wrongCount(required, countColumns(line, end));
      }
      float value = parseField(line, start, stop, column);
      if (column == labelColumn) {
        out.setLabel(value);
        haveLabel = true;
      } else {
        out.addDense(value);
      }
      column++;
      if (stop == end) {
        break;
      }
      start = stop + 1;
    }
    if (required > 0 && column != required) {
      throw wrongCount(required, column);
    }
    if (column < 2) {
      throw new RecordFormatException(
          "line has 1 column; need a label and at least one feature" + delimiterHint(line), null);
    }
    if (labelColumn == -1) {
      out.setLabel(out.removeLastDense());
    } else if (!haveLabel) {
      throw new RecordFormatException(
          "label column " + labelColumn + " (0-based) does not exist: the line has " + column
              + " columns",
          null);
    }
    if (required == 0) {
      seenColumns = column;
    }
  }

  private float parseField(String line, int start, int stop, int column) {
    int from = start;
    int to = stop;
    boolean trimTabs = delimiter != '\t';
    while (from < to && (line.charAt(from) == ' ' || (trimTabs && line.charAt(from) == '\t'))) {
      from++;
    }
    while (to > from
        && (line.charAt(to - 1) == ' ' || (trimTabs && line.charAt(to - 1) == '\t'))) {
      to--;
    }
    if (to - from >= 2 && line.charAt(from) == '"' && line.charAt(to - 1) == '"') {
      from++;
      to--;
    }
    String what = column == labelColumn ? "label column " + column : "column " + column;
    if (from == to) {
      throw new RecordFormatException(what + " (0-based) is empty", null);
    }
    float value;
    try {
      value = Numbers.parseFloat(line, from, to);
    } catch (NumberFormatException e) {
      String token = line.substring(from, to);
      throw new RecordFormatException(
          "bad number '" + token + "' in " + what + " (0-based)" + delimiterHint(token), token);
    }
    if (!Float.isFinite(value)) {
      String token = line.substring(from, to);
      throw new RecordFormatException(
          Numbers.nonFiniteProblem("value", token) + " (" + what + ", 0-based)", token);
    }
    return value;
  }

  private int countColumns(String line, int end) {
    int count = 1;
    for (int i = 0; i < end; i++) {
      if (line.charAt(i) == delimiter) {
        count++;
      }
    }
    return count;
  }

  private RecordFormatException wrongCount(int required, int found) {
    String source = expectedColumns > 0 ? "" : " (as in the earlier lines)";
    return new RecordFormatException(
        "wrong number of columns: expected " + required + source + ", found " + found, null);
  }

  /** A hint when the text holds another common delimiter (a TSV file read as CSV, say). */
  private String delimiterHint(String text) {
    for (char c : new char[] {',', ';', '\t', '|'}) {
      if (c != delimiter && text.indexOf(c) >= 0) {
        return " (the delimiter is '" + printable(delimiter) + "' but the line has '"
            + printable(c) + "': check data.csv.delimiter)";
      }
    }
    return "";
  }

  private static String printable(char c) {
    return c == '\t' ? "\\t" : String.valueOf(c);
  }
}
