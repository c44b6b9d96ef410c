package org.sparkprop.driver.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.io.MetricsSink;

/**
 * The console of a run: on a terminal a live bar redrawn in place (carriage returns, the steps
 * done of all, the last window's loss) with evaluation lines above it; in a pipe plain lines.
 */
class ProgressBarTest {
  private static String run(boolean bar) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (RunLog log = new RunLog(console, MetricsSink.none(), ModelSpec.softmaxRegression(4, 3),
        1.0, false)) {
      if (bar) {
        log.showBar(100, 0);
      }
      for (int step = 1; step <= 100; step++) {
        log.tick(step);
        if (step % 50 == 0) {
          log.step(new RunLog.Window(step, 100, step / 100.0, 0.5 / step, 1e-3, 1234, 1, 0.1, 0,
              10, 20, 0, step * 0.01, null, java.util.Map.of()));
        }
      }
      log.note("epoch 1  test loss 0.1000  test accuracy 97.00%  (100 rows)");
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aBarOnATerminalPlainLinesElsewhere() {
    String bar = run(true);
    assertTrue(bar.contains("\r") && bar.contains("train") && bar.contains("100/100"), bar);
    assertTrue(bar.contains("ep 1.00 loss 0.0050 1,234/s"), "the last window in the bar: " + bar);
    assertTrue(bar.contains("epoch 1  test loss 0.1000"), bar);
    assertFalse(bar.contains("step 50/100"), "no per-window lines under the bar: " + bar);

    String lines = run(false);
    assertFalse(lines.contains("\r"), lines);
    assertTrue(lines.contains("step 50/100  epoch 0.50/1  loss 0.0100")
        && lines.contains("step 100/100"), lines);
    assertTrue(lines.contains("epoch 1  test loss 0.1000"), lines);
  }
}
