package org.sparkprop.core.exchange.sign;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One partition's executor state at one step, as plain arrays that cross JVMs: what a checkpoint
 * gathers from the executors, and what a resumed run hands back to them. {@link #missing()}
 * records that the executor did not hold the state (it was lost, or the task moved): a resumed
 * run then restarts that partition from zero, exactly as the uninterrupted run would have.
 */
public final class PartitionSnapshot {
  private final int partition;
  private final long step;
  private final boolean missing;
  private final String[] names;
  private final float[][] arrays;

  private PartitionSnapshot(int partition, long step, boolean missing, String[] names,
      float[][] arrays) {
    if (names.length != arrays.length) {
      throw new IllegalArgumentException(names.length + " names for " + arrays.length
          + " arrays");
    }
    this.partition = partition;
    this.step = step;
    this.missing = missing;
    this.names = names;
    this.arrays = arrays;
  }

  /** The state of {@code partition} written at {@code step}; its arrays are shared, not copied. */
  public static PartitionSnapshot of(int partition, long step, PartitionState state) {
    String[] names = state.names().toArray(new String[0]);
    float[][] arrays = new float[names.length][];
    for (int i = 0; i < names.length; i++) {
      arrays[i] = state.get(names[i]);
    }
    return new PartitionSnapshot(partition, step, false, names, arrays);
  }

  /** A snapshot of arrays by name (read back from a checkpoint); arrays are not copied. */
  public static PartitionSnapshot of(int partition, long step, Map<String, float[]> arrays) {
    return new PartitionSnapshot(partition, step, false,
        arrays.keySet().toArray(new String[0]), arrays.values().toArray(new float[0][]));
  }

  /** The executor held no state of {@code partition} for {@code step}. */
  public static PartitionSnapshot missing(int partition, long step) {
    return new PartitionSnapshot(partition, step, true, new String[0], new float[0][]);
  }

  public int partition() {
    return partition;
  }

  /** The step whose state this is. */
  public long step() {
    return step;
  }

  /** True when the executor held no state for this step. */
  public boolean missing() {
    return missing;
  }

  /** The arrays by name, in name order (shared, do not modify). */
  public Map<String, float[]> arrays() {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], arrays[i]);
    }
    return m;
  }

  /** The state to put back into an executor's store (only when not missing). */
  public PartitionState toState() {
    if (missing) {
      throw new IllegalStateException("partition " + partition + " has no state to restore");
    }
    return PartitionState.of(arrays());
  }

  @Override
  public String toString() {
    return "PartitionSnapshot{partition=" + partition + ", step=" + step
        + (missing ? ", missing" : ", " + Arrays.toString(names)) + "}";
  }
}
