package org.sparkprop.driver.cli;

/**
 * A problem the user can fix (bad input, a config that does not fit, a path that does not
 * exist): printed as one line, no stack trace, and the command exits with {@link #exitCode()}.
 */
final class UserError extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  UserError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
