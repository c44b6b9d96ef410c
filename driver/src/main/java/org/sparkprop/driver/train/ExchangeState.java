package org.sparkprop.driver.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver-side state of an exchange mode as plain data, for checkpoints: named float32 arrays
 * (the 1-bit modes' frozen denominator and averaged momentum) and named counters (the step whose
 * executor state the next step continues from, steps skipped). Executor-side state is gathered
 * separately, per partition.
 */
public record ExchangeState(Map<String, float[]> arrays, Map<String, Long> counters) {
  public ExchangeState {
    arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
  }

  /** No state (dense exchange). */
  public static ExchangeState none() {
    return new ExchangeState(Map.of(), Map.of());
  }

  /**
   * The counter {@code name}.
   *
   * @throws IllegalArgumentException naming the counter when it is absent
   */
  public long counter(String name) {
    Long v = counters.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the exchange state has no counter '" + name
          + "' (it has " + counters.keySet() + ")");
    }
    return v;
  }

  /** The array {@code name} of length {@code n}, or null when absent. */
  public float[] array(String name, int n) {
    float[] a = arrays.get(name);
    if (a != null && a.length != n) {
      throw new IllegalArgumentException("the exchange state's array '" + name + "' has "
          + a.length + " entries, the model has " + n);
    }
    return a == null ? null : a.clone();
  }
}
