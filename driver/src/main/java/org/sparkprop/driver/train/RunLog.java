package org.sparkprop.driver.train;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.sparkprop.core.model.EvalStats;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.io.MetricsSink;

/**
 * What a run reports as it goes: a console line and a {@code metrics.jsonl} record per logged
 * step (its log window: mean loss, bytes per step) and per evaluation.
 */
final class RunLog implements AutoCloseable {
  private final PrintStream console;
  private final MetricsSink metrics;
  private final ModelSpec spec;
  private final double epochs;
  private final boolean signMode;
  private ConsoleBar bar; // null: plain lines

  RunLog(PrintStream console, MetricsSink metrics, ModelSpec spec, double epochs,
      boolean signMode) {
    this.console = console;
    this.metrics = metrics;
    this.spec = spec;
    this.epochs = epochs;
    this.signMode = signMode;
  }

  /**
   * Shows a live progress bar instead of a line per log window (on a terminal), from step
   * {@code start} of {@code steps}.
   */
  void showBar(long steps, long start) {
    bar = new ConsoleBar(console, steps, start);
  }

  /** Step {@code step} is done. */
  void tick(long step) {
    if (bar != null) {
      bar.stepTo(step);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  /**
   * One window of steps, ending at {@code step}; {@code tasksByExecutor} counts the window's
   * step tasks per executor id (empty in local mode).
   */
  record Window(long step, long steps, double epoch, double loss, double lr,
      double samplesPerSecond, double etaSeconds, double gradNorm, long skipped, long bytesUp,
      long bytesDown, long stateRestarts, double trainSeconds, StepTimes times,
      Map<String, Long> tasksByExecutor) {}

  void step(Window w) {
    if (bar != null) {
      // Short: the bar, its counts and times take some 50 of a terminal's 80 columns.
      bar.message(String.format(Locale.ROOT, "ep %.2f loss %.4f %,.0f/s%s", w.epoch(),
          w.loss(), w.samplesPerSecond(), w.skipped() > 0 ? " skipped " + w.skipped() : ""));
    } else {
      console.println(String.format(Locale.ROOT,
        "step %d/%d  epoch %.2f/%s  loss %.4f  lr %.2e  %,.0f samples/s  ETA %s%s",
        w.step(), w.steps(), w.epoch(), trimmed(epochs), w.loss(), w.lr(), w.samplesPerSecond(),
        duration(w.etaSeconds()), w.skipped() > 0 ? "  skipped " + w.skipped() : ""));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "train");
    m.put("step", w.step());
    m.put("epoch", round(w.epoch()));
    m.put("loss", Double.isFinite(w.loss()) ? w.loss() : null);
    m.put("lr", w.lr());
    m.put("samples_per_s", Math.round(w.samplesPerSecond()));
    m.put("train_s", Math.round(w.trainSeconds() * 1000) / 1000.0);
    m.put("grad_norm", Double.isFinite(w.gradNorm()) ? w.gradNorm() : null);
    m.put("skipped_steps", w.skipped());
    m.put("bytes_up", w.bytesUp());
    m.put("bytes_down", w.bytesDown());
    StepTimes t = w.times(); // the window's steps: mean milliseconds per step
    if (t != null && t.steps() > 0) {
      m.put("step_ms", ms(t, t.total()));
      m.put("broadcast_ms", ms(t, t.broadcast()));
      m.put("job_ms", ms(t, t.job()));
      m.put("compute_ms", ms(t, t.slowestCompute()));
      m.put("optimizer_ms", ms(t, t.optimizer()));
    }
    if (signMode) {
      m.put("state_restarts", w.stateRestarts());
    }
    if (!w.tasksByExecutor().isEmpty()) {
      m.put("tasks_by_executor", w.tasksByExecutor());
    }
    metrics.write(m);
  }

  void eval(EvalPoint p, double epoch) {
    EvalStats s = p.stats();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "eval");
    m.put("step", p.step());
    m.put("epoch", round(epoch));
    m.put("train_s", Math.round(p.seconds() * 1000) / 1000.0);
    m.put("test_loss", s.meanLoss());
    String line;
    if (spec.isClassification()) {
      m.put("test_accuracy", s.accuracy());
      line = String.format(Locale.ROOT, "epoch %d  test loss %.4f  test accuracy %.2f%%  (%d rows)",
          p.epoch(), s.meanLoss(), 100 * s.accuracy(), s.count());
    } else {
      m.put("test_rmse", s.rmse());
      line = String.format(Locale.ROOT, "epoch %d  test loss %.4f  test RMSE %.4f  (%d rows)",
          p.epoch(), s.meanLoss(), s.rmse(), s.count());
    }
    m.put("test_rows", s.count());
    metrics.write(m);
    note(line);
  }

  void note(String line) {
    if (bar != null) {
      bar.println(line);
    } else {
      console.println(line);
    }
  }

  private static double round(double epoch) {
    return Math.round(epoch * 1e4) / 1e4;
  }

  private static String trimmed(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static String duration(double seconds) {
    long s = Math.round(Math.max(0, seconds));
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private static double ms(StepTimes t, long nanos) {
    return Math.round(t.msPerStep(nanos) * 1000) / 1000.0;
  }
}
