package org.sparkprop.driver.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of an {@link Optimizer} as plain data, for checkpoints: the optimizer name, the
 * number of steps applied, named float32 arrays (one entry per parameter) in a fixed order, and
 * named double scalars. Immutable: the constructor and {@link #array} copy, so a state never
 * shares an array with an optimizer. Equality is by content, bit for bit ({@link
 * Arrays#equals(float[], float[])}, {@link Double#equals}).
 *
 * <p>Array names follow PyTorch where it has one: {@code momentum_buffer}, {@code sum}, {@code
 * square_avg}, {@code grad_avg}, {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq},
 * {@code prev_grad}, {@code step_size}, {@code prev_delta}; scalars: {@code prev_loss}.
 */
public final class OptimizerState {

  private final String optimizer;
  private final long step;
  private final Map<String, float[]> arrays;
  private final Map<String, Double> scalars;

  /**
   * @param optimizer the optimizer's config name, e.g. {@code "adam"}
   * @param step the number of steps applied, &ge; 0
   * @param arrays name → values, in the optimizer's order; deep-copied
   * @param scalars name → value; copied
   */
  public OptimizerState(
      String optimizer, long step, Map<String, float[]> arrays, Map<String, Double> scalars) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    if (step < 0) {
      throw new IllegalArgumentException("optimizer state step must be >= 0, got " + step);
    }
    this.step = step;
    Map<String, float[]> a = new LinkedHashMap<>();
    arrays.forEach((k, v) -> a.put(Objects.requireNonNull(k, "array name"), v.clone()));
    this.arrays = Collections.unmodifiableMap(a);
    this.scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
  }

  /** The config name of the optimizer that exported this state. */
  public String optimizer() {
    return optimizer;
  }

  /** The number of steps applied when the state was exported. */
  public long step() {
    return step;
  }

  /** The array names, in the optimizer's order. */
  public List<String> arrayNames() {
    return List.copyOf(arrays.keySet());
  }

  /** A deep copy of all arrays, name → values, in the optimizer's order. */
  public Map<String, float[]> arrays() {
    Map<String, float[]> copy = new LinkedHashMap<>();
    arrays.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /** A copy of the named array; throws {@link IllegalArgumentException} if there is none. */
  public float[] array(String name) {
    float[] a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException(
          "optimizer state of '" + optimizer + "' has no array '" + name + "'; it has "
              + arrays.keySet());
    }
    return a.clone();
  }

  /** The length of the named array, or -1 if there is none (no copy). */
  public int arrayLength(String name) {
    float[] a = arrays.get(name);
    return a == null ? -1 : a.length;
  }

  /** The scalars, unmodifiable, e.g. {@code {prev_loss=0.693}}. */
  public Map<String, Double> scalars() {
    return scalars;
  }

  /** Copies the named array into {@code target} (same length) without an intermediate copy. */
  void copyArrayInto(String name, float[] target) {
    System.arraycopy(arrays.get(name), 0, target, 0, target.length);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OptimizerState)) {
      return false;
    }
    OptimizerState s = (OptimizerState) o;
    if (!optimizer.equals(s.optimizer)
        || step != s.step
        || !scalars.equals(s.scalars)
        || !arrays.keySet().equals(s.arrays.keySet())) {
      return false;
    }
    for (Map.Entry<String, float[]> e : arrays.entrySet()) {
      if (!Arrays.equals(e.getValue(), s.arrays.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(optimizer, step, scalars);
    for (Map.Entry<String, float[]> e : arrays.entrySet()) {
      h = 31 * h + e.getKey().hashCode();
      h = 31 * h + Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("OptimizerState{").append(optimizer);
    sb.append(", step=").append(step);
    arrays.forEach((k, v) -> sb.append(", ").append(k).append("[").append(v.length).append("]"));
    scalars.forEach((k, v) -> sb.append(", ").append(k).append("=").append(v));
    return sb.append('}').toString();
  }
}
