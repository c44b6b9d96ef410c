package org.sparkprop.driver;

import java.io.PrintStream;

/**
 * A fatal error (out of memory, a stack overflow, an internal error of the JVM) in any thread of
 * the driver ends the process at once with a one-line message saying what to raise, instead of
 * leaving it hanging: Spark's scheduler threads die on such an error and the job they served
 * never completes. Shutdown hooks are skipped (they could wait on that job); files are safe
 * anyway, since checkpoints and models are committed atomically.
 */
public final class FatalErrors {
  /** Exit status of a fatal error. */
  public static final int EXIT_CODE = ExitCodes.FATAL;

  /** Ends the process (tests replace it). */
  @FunctionalInterface
  interface Halt {
    void halt(int status);
  }

  private FatalErrors() {}

  /** Installs the handler for every thread of this JVM. */
  public static void install() {
    install(System.err, status -> Runtime.getRuntime().halt(status));
  }

  static void install(PrintStream err, Halt halt) {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (e instanceof VirtualMachineError) {
        err.println(message(thread, (VirtualMachineError) e));
        err.flush();
        halt.halt(EXIT_CODE);
      } else if (previous != null) {
        previous.uncaughtException(thread, e);
      } else {
        err.print("Exception in thread \"" + thread.getName() + "\" ");
        e.printStackTrace(err);
      }
    });
  }

  /** The one line printed for {@code e}. */
  static String message(Thread thread, VirtualMachineError e) {
    String where = " (in thread " + thread.getName() + ")";
    if (e instanceof OutOfMemoryError) {
      return "sparkprop: the driver ran out of memory" + where + ": " + e.getMessage()
          + "; raise its heap: spark-submit --driver-memory 4g (or more), or "
          + "SPARKPROP_DRIVER_MEMORY=8g bin/sparkprop";
    }
    if (e instanceof StackOverflowError) {
      return "sparkprop: stack overflow" + where + "; raise the thread stack size with "
          + "-Xss4m (spark.driver.extraJavaOptions, or SPARKPROP_JAVA_OPTS)";
    }
    return "sparkprop: fatal JVM error" + where + ": " + e;
  }
}
