package org.sparkprop.core.exchange.sign;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One version of a partition's executor state: named float arrays (e.g. {@link
 * SignStep#RESIDUAL}, {@link SignStep#MOMENTUM}), each as long as the flat vector. An absent name
 * means zeros. Immutable map; the arrays are shared, not copied, and must never be modified once
 * the state is written to or read from an {@link ExecutorStateStore} (a retried task reads them
 * again).
 *
 * <p>A state returned by {@link ExecutorStateStore#read} for a base that was expected but not
 * found is empty and {@link #missing()}; the flag is dropped when a state is written.
 */
public final class PartitionState {
  private static final PartitionState EMPTY = new PartitionState(Map.of(), false);
  private static final PartitionState MISSING = new PartitionState(Map.of(), true);

  private final Map<String, float[]> arrays;
  private final boolean missing;

  private PartitionState(Map<String, float[]> arrays, boolean missing) {
    this.arrays = arrays;
    this.missing = missing;
  }

  /** The empty state (all zeros), not missing. */
  public static PartitionState empty() {
    return EMPTY;
  }

  /** The empty state, flagged as missing: the expected base was not in the store. */
  static PartitionState missingState() {
    return MISSING;
  }

  /**
   * A state holding {@code arrays} (the map is copied, the arrays are not).
   *
   * @throws IllegalArgumentException if a name or array is null
   */
  public static PartitionState of(Map<String, float[]> arrays) {
    TreeMap<String, float[]> copy = new TreeMap<>();
    for (Map.Entry<String, float[]> e : arrays.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("state names and arrays must not be null");
      }
      copy.put(e.getKey(), e.getValue());
    }
    return new PartitionState(Collections.unmodifiableMap(copy), false);
  }

  /** A state holding one array. */
  public static PartitionState of(String name, float[] array) {
    return of(Map.of(name, array));
  }

  /** A state holding two arrays. */
  public static PartitionState of(String name1, float[] array1, String name2, float[] array2) {
    return of(Map.of(name1, array1, name2, array2));
  }

  /** The array named {@code name} (shared, do not modify), or null meaning zeros. */
  public float[] get(String name) {
    return arrays.get(name);
  }

  /** The names present, sorted. */
  public Set<String> names() {
    return arrays.keySet();
  }

  /** True when the state was expected but not found, so the task restarts from zero. */
  public boolean missing() {
    return missing;
  }

  /** This state without the missing flag (itself if not flagged). */
  PartitionState present() {
    return missing ? new PartitionState(arrays, false) : this;
  }

  /** Bytes held by the arrays (4 per float). */
  public long bytes() {
    long b = 0;
    for (float[] a : arrays.values()) {
      b += 4L * a.length;
    }
    return b;
  }

  @Override
  public String toString() {
    return "PartitionState" + arrays.keySet() + (missing ? " (missing)" : "");
  }
}
