package org.sparkprop.driver;

/** The exit status of every sparkprop command (listed by {@code sparkprop --help}). */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** Bad input data or config, a refused resume or start, an I/O error: the message says which. */
  public static final int FAILED = 1;
  /** Bad usage: an unknown option, a missing value (the message suggests the right one). */
  public static final int USAGE = 2;
  /** Training diverged: a NaN/Inf loss or gradient (no model written). */
  public static final int DIVERGED = 3;
  /** A fatal JVM error such as running out of memory (the message says what to raise). */
  public static final int FATAL = 4;

  /** The list for the help text: "code:description" pairs as picocli's exitCodeList takes them. */
  static final String[] LIST = {
    "0:done",
    "1:bad input data or config, a refused resume, an I/O error",
    "2:bad usage (unknown option, missing value)",
    "3:training diverged (NaN/Inf loss or gradient; no model written)",
    "4:fatal JVM error, e.g. out of memory (the message says what to raise)",
  };

  private ExitCodes() {}
}
