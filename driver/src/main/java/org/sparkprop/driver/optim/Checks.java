package org.sparkprop.driver.optim;

import java.util.List;

/**
 * Range checks that append a message naming the config key instead of throwing, so that every
 * problem of a config can be reported at once. Messages read {@code "<section>.<key>: <what>
 * must be <range>, got <value>"}; numbers are printed with {@link Double#toString}, which does not
 * depend on the locale.
 */
final class Checks {

  private Checks() {}

  /** {@code section.key: } */
  static String prefix(String section, String key) {
    return section + "." + key + ": ";
  }

  private static String subject(String what) {
    return what == null ? "must" : what + " must";
  }

  /** value &gt; 0 and finite. */
  static void positive(List<String> problems, String section, String key, String what, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      problems.add(prefix(section, key) + subject(what) + " be > 0 and finite, got " + v);
    }
  }

  /** value &ge; 0 and finite. */
  static void nonNegative(
      List<String> problems, String section, String key, String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      problems.add(prefix(section, key) + subject(what) + " be >= 0 and finite, got " + v);
    }
  }

  /** 0 &le; value &lt; 1. */
  static void inZeroOneOpen(
      List<String> problems, String section, String key, String what, double v) {
    if (!(v >= 0 && v < 1)) {
      problems.add(prefix(section, key) + subject(what) + " be in [0, 1), got " + v);
    }
  }

  /** 0 &le; value &le; 1. */
  static void inZeroOneClosed(
      List<String> problems, String section, String key, String what, double v) {
    if (!(v >= 0 && v <= 1)) {
      problems.add(prefix(section, key) + subject(what) + " be in [0, 1], got " + v);
    }
  }

  /** The learning rate: required (NaN means "never set") and &gt; 0. */
  static void learningRate(List<String> problems, String section, String name, double lr) {
    if (Double.isNaN(lr)) {
      problems.add(
          prefix(section, "lr") + "is required for " + name + " (it has no default), not set");
    } else {
      positive(problems, section, "lr", null, lr);
    }
  }

  /** Throws the collected problems as one {@link IllegalArgumentException}, if there are any. */
  static void throwIfAny(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }
}
