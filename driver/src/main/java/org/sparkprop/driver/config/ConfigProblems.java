package org.sparkprop.driver.config;

import java.util.ArrayList;
import java.util.List;

/** Thrown when a configuration has problems; the message lists every one of them. */
public final class ConfigProblems extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** @param problems one line each, e.g. {@code "train.epochs: must be > 0, got -1"} */
  public ConfigProblems(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** The individual problems. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    List<String> lines = new ArrayList<>();
    lines.add("the configuration has " + problems.size()
        + (problems.size() == 1 ? " problem" : " problems") + " (nothing was run):");
    for (String p : problems) {
      lines.add("  - " + p);
    }
    lines.add("Every key, its default and its range are documented in conf/reference.conf.");
    return String.join(System.lineSeparator(), lines);
  }
}
