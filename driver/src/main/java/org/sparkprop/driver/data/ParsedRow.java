package org.sparkprop.driver.data;

import java.util.Arrays;

/**
 * A reusable buffer for one parsed row: a label plus either dense feature values or sparse
 * (index, value) pairs.
 *
 * <p>Parsers fill it with {@link #clear()}, {@link #setLabel(float)} and {@link #addDense(float)}
 * or {@link #addSparse(int, float)}. The arrays grow as needed and are kept, so parsing row after
 * row into the same instance allocates nothing once the largest row has been seen. The accessor
 * arrays are the live backing arrays: read only the first {@link #size()} / {@link #nnz()}
 * entries, and copy what you keep before the next row overwrites it.
 *
 * <p>Sparse indices are 0-based and strictly increasing (the LIBSVM parser guarantees it). Not
 * thread-safe; use one per task thread.
 */
public final class ParsedRow {
  private static final int INITIAL_CAPACITY = 16;

  private float label;
  private boolean sparse;
  private float[] dense = new float[INITIAL_CAPACITY];
  private int size;
  private int[] indices = new int[INITIAL_CAPACITY];
  private float[] values = new float[INITIAL_CAPACITY];
  private int nnz;

  /** Empties the row: label 0, no features, dense. Keeps the arrays. */
  public void clear() {
    label = 0f;
    sparse = false;
    size = 0;
    nnz = 0;
  }

  /** Empties the row and marks it sparse. */
  public void clearSparse() {
    clear();
    sparse = true;
  }

  /** Sets the label. */
  public void setLabel(float label) {
    this.label = label;
  }

  /** The label. */
  public float label() {
    return label;
  }

  /** True when the features are sparse (index, value) pairs, false when dense. */
  public boolean isSparse() {
    return sparse;
  }

  /** Appends one dense feature value. */
  public void addDense(float value) {
    if (size == dense.length) {
      dense = Arrays.copyOf(dense, grow(dense.length));
    }
    dense[size++] = value;
  }

  /** Removes the last dense value and returns it (used to split off a trailing label column). */
  public float removeLastDense() {
    if (size == 0) {
      throw new IllegalStateException("no dense values");
    }
    return dense[--size];
  }

  /** Number of dense values. */
  public int size() {
    return size;
  }

  /** Dense value {@code j}, for {@code j < size()}. */
  public float dense(int j) {
    return dense[j];
  }

  /** The backing dense array; entries {@code [0, size())} are valid. */
  public float[] denseValues() {
    return dense;
  }

  /** Appends one sparse entry; the caller keeps indices 0-based and strictly increasing. */
  public void addSparse(int index, float value) {
    if (nnz == indices.length) {
      int capacity = grow(indices.length);
      indices = Arrays.copyOf(indices, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    indices[nnz] = index;
    values[nnz] = value;
    nnz++;
  }

  /** Number of sparse entries. */
  public int nnz() {
    return nnz;
  }

  /** Index of sparse entry {@code k}, for {@code k < nnz()}. */
  public int index(int k) {
    return indices[k];
  }

  /** Value of sparse entry {@code k}, for {@code k < nnz()}. */
  public float value(int k) {
    return values[k];
  }

  /** The backing index array; entries {@code [0, nnz())} are valid. */
  public int[] indices() {
    return indices;
  }

  /** The backing value array; entries {@code [0, nnz())} are valid. */
  public float[] values() {
    return values;
  }

  /**
   * The smallest feature dimension that holds this row: {@code size()} when dense, the largest
   * index + 1 when sparse (0 for a sparse row with no entries).
   */
  public int minNumFeatures() {
    if (!sparse) {
      return size;
    }
    return nnz == 0 ? 0 : indices[nnz - 1] + 1;
  }

  private static int grow(int capacity) {
    if (capacity >= Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("row too large");
    }
    return (int) Math.min((long) capacity * 2, Integer.MAX_VALUE - 8);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ParsedRow{label=").append(label);
    if (sparse) {
      sb.append(", sparse");
      for (int k = 0; k < nnz; k++) {
        sb.append(' ').append(indices[k]).append(':').append(values[k]);
      }
    } else {
      sb.append(", dense");
      for (int j = 0; j < size; j++) {
        sb.append(' ').append(dense[j]);
      }
    }
    return sb.append('}').toString();
  }
}
