package org.sparkprop.driver.train;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A live progress bar for a terminal (me.tongfei:progressbar): steps done of all, elapsed time
 * and ETA, and the last log window's epoch, loss and samples/s. Lines printed while it runs
 * (evaluations, notes) go above it. Used only when the console is a terminal: in a pipe or a
 * log file the run prints its plain lines instead.
 */
final class ConsoleBar implements AutoCloseable {
  private final ProgressBar bar;
  private final PrintStream out;

  /**
   * @param startStep the step a resumed run starts from (0 for a new run)
   */
  ConsoleBar(PrintStream out, long steps, long startStep) {
    this.out = out;
    this.bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(steps)
        .setConsumer(new InteractiveConsoleProgressBarConsumer(out))
        .setUpdateIntervalMillis(250).startsFrom(startStep, Duration.ZERO).build();
  }

  void stepTo(long step) {
    bar.stepTo(step);
  }

  void message(String m) {
    bar.setExtraMessage(m);
  }

  /** Prints {@code line} above the bar (the bar's own line is cleared first). */
  void println(String line) {
    synchronized (out) {
      out.print("\r\033[K");
      out.println(line);
    }
    bar.refresh();
  }

  @Override
  public void close() {
    bar.close();
  }
}
