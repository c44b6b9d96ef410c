package org.sparkprop.driver.playground;

import java.util.List;
import java.util.Locale;

/** The playground's results as a Markdown table: a row per function and optimizer. */
final class PlaygroundTable {
  private PlaygroundTable() {}

  static String markdown(List<Playground.Run> runs, int steps) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "| function | optimizer | lr | steps to target (of %d) "
        + "| final value |%n|---|---|---:|---:|---:|%n", steps));
    for (Playground.Run r : runs) {
      t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n",
          r.function().displayName(), r.optimizer().label(), r.optimizer().lr(r.function()),
          r.stepsToTolerance() < 0 ? (r.steps() < steps ? "diverged at " + r.steps() : "-")
              : Integer.toString(r.stepsToTolerance()),
          String.format(Locale.ROOT, "%.3g", r.finalValue())));
    }
    return t.append(String.format(Locale.ROOT, "%nTarget: within %s of the minimum; for the "
        + "saddle, below -1 (escaped from the ridge).%n", Playground.TOLERANCE)).toString();
  }
}
