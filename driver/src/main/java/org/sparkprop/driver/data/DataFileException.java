package org.sparkprop.driver.data;

import java.io.Serializable;

/**
 * Bad input data, located in a file: which file, which line (or byte offset), which token, what
 * is wrong and what to do about it.
 *
 * <p>The message reads like {@code data/train.libsvm:1234: bad feature value 'abc' in token
 * '17:abc' — fix or remove the line}. The exception is serializable (all fields are strings and
 * longs), so it survives being thrown inside a Spark task and reaches the driver intact.
 */
public final class DataFileException extends RuntimeException implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The hint used for problems with one line of a text file. */
  public static final String FIX_LINE = "fix or remove the line";

  private final String file;
  private final long line;
  private final long byteOffset;
  private final String token;
  private final String problem;
  private final String hint;

  /**
   * A problem located in a file. When it points at a record (a line number or a byte offset is
   * given) the hint is {@value #FIX_LINE}; for a problem with the file as a whole there is none.
   *
   * @param file the file as the user named it (path or URI)
   * @param line 1-based line number, or -1 when unknown
   * @param byteOffset byte offset of the start of the record in the file, or -1 when unknown
   * @param token the offending token, or null
   * @param problem what is wrong
   */
  public DataFileException(String file, long line, long byteOffset, String token, String problem) {
    this(file, line, byteOffset, token, problem, line >= 1 || byteOffset >= 0 ? FIX_LINE : null,
        null);
  }

  /**
   * The general form.
   *
   * @param hint what the user should do, e.g. {@value #FIX_LINE}; may be null
   * @param cause the underlying exception, or null
   */
  public DataFileException(
      String file,
      long line,
      long byteOffset,
      String token,
      String problem,
      String hint,
      Throwable cause) {
    super(cause);
    this.file = file;
    this.line = line;
    this.byteOffset = byteOffset;
    this.token = token;
    this.problem = problem;
    this.hint = hint;
  }

  /** Wraps a parser's record error with its location; the record error becomes the cause. */
  public static DataFileException of(
      String file, long line, long byteOffset, RecordFormatException e) {
    return new DataFileException(file, line, byteOffset, e.token(), e.problem(), FIX_LINE, e);
  }

  /** A copy of this exception with the 1-based line number filled in. */
  public DataFileException withLine(long line) {
    DataFileException copy =
        new DataFileException(file, line, byteOffset, token, problem, hint, getCause());
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  /** The file as the user named it. */
  public String file() {
    return file;
  }

  /** 1-based line number, or -1 when unknown. */
  public long line() {
    return line;
  }

  /** Byte offset of the record in the file, or -1 when unknown. */
  public long byteOffset() {
    return byteOffset;
  }

  /** The offending token, or null. */
  public String token() {
    return token;
  }

  /** What is wrong, without location, token or hint. */
  public String problem() {
    return problem;
  }

  /** What the user should do, or null. */
  public String hint() {
    return hint;
  }

  /**
   * {@code s} as one printable line: control characters and undecodable bytes (which Hadoop's
   * text reader turns into U+FFFD) are escaped ({@code \x00}, {@code \ufffd}), and text past
   * {@code max} characters is cut with a note of how much was left out.
   */
  static String printable(String s, int max) {
    StringBuilder b = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < s.length(); i++) {
      if (shown >= max) {
        return b.append("... (").append(s.length() - i).append(" more characters)").toString();
      }
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        b.append(String.format("\\x%02x", (int) c));
      } else if (c == '\ufffd' || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
      shown++;
    }
    return b.toString();
  }

  @Override
  public String getMessage() {
    StringBuilder sb = new StringBuilder();
    sb.append(file);
    if (line >= 1) {
      sb.append(':').append(line);
    } else if (byteOffset >= 0) {
      sb.append(" (byte offset ").append(byteOffset).append(')');
    }
    sb.append(": ").append(RecordFormatException.describe(printable(problem, 240),
        token == null ? null : printable(token, 60)));
    if (hint != null && !hint.isEmpty()) {
      sb.append(" \u2014 ").append(hint);
    }
    return sb.toString();
  }
}
