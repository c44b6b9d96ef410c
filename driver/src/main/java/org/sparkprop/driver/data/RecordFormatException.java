package org.sparkprop.driver.data;

/**
 * A problem with one record (one line of a LIBSVM or CSV file), without its location.
 *
 * <p>Parsers throw this; the code that knows the file and line wraps it into a {@link
 * DataFileException} (see {@link DataFileException#of(String, long, long, RecordFormatException)}).
 */
public final class RecordFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String problem;
  private final String token;

  /**
   * @param problem what is wrong, e.g. {@code bad feature value 'abc'}
   * @param token the offending token as it appears in the line, e.g. {@code 17:abc}; may be null
   */
  public RecordFormatException(String problem, String token) {
    super(describe(problem, token));
    this.problem = problem;
    this.token = token;
  }

  /** What is wrong, e.g. {@code bad feature value 'abc'}. */
  public String problem() {
    return problem;
  }

  /** The offending token as it appears in the line, or null when no single token is to blame. */
  public String token() {
    return token;
  }

  /**
   * {@code problem in token 'token'}; the token part is left out when there is none or when the
   * problem already quotes the whole token.
   */
  static String describe(String problem, String token) {
    if (token == null || problem.contains("'" + token + "'")) {
      return problem;
    }
    return problem + " in token '" + token + "'";
  }
}
