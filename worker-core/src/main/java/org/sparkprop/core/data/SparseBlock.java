package org.sparkprop.core.data;

import java.util.Objects;

/**
 * Sparse rows in CSR form: the non-zeros of row r are {@code indices[k], values[k]} for
 * {@code k in [indptr[r], indptr[r + 1])}, with column indices 0-based and strictly increasing
 * within a row.
 */
public final class SparseBlock implements Block {
  private static final long serialVersionUID = 1L;

  private final int numRows;
  private final int numFeatures;
  private final int[] indptr;
  private final int[] indices;
  private final float[] values;
  private final float[] labels;
  private final float[] weights; // null: every row weighs 1

  /**
   * Wraps the arrays without copying; the caller hands them over.
   *
   * @throws IllegalArgumentException if the arrays are inconsistent
   */
  public SparseBlock(
      int numRows, int numFeatures, int[] indptr, int[] indices, float[] values, float[] labels) {
    this(numRows, numFeatures, indptr, indices, values, labels, null);
  }

  /**
   * With per-row weights (null: none). Wraps the arrays without copying.
   *
   * @throws IllegalArgumentException if the arrays are inconsistent
   */
  public SparseBlock(int numRows, int numFeatures, int[] indptr, int[] indices, float[] values,
      float[] labels, float[] weights) {
    Objects.requireNonNull(indptr, "indptr");
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(labels, "labels");
    if (numRows < 0 || numFeatures <= 0) {
      throw new IllegalArgumentException(
          "numRows must be >= 0 and numFeatures > 0, got " + numRows + " and " + numFeatures);
    }
    if (indptr.length != numRows + 1 || indptr[0] != 0) {
      throw new IllegalArgumentException(
          "indptr must have numRows + 1 = " + (numRows + 1) + " entries starting at 0");
    }
    int nnz = indptr[numRows];
    if (indices.length != nnz || values.length != nnz) {
      throw new IllegalArgumentException(
          "indices/values have " + indices.length + "/" + values.length + " entries, indptr says " + nnz);
    }
    if (labels.length != numRows) {
      throw new IllegalArgumentException(
          "labels has " + labels.length + " values, expected " + numRows);
    }
    Weights.checkLength(weights, numRows);
    this.numRows = numRows;
    this.numFeatures = numFeatures;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
    this.labels = labels;
    this.weights = weights;
  }

  @Override
  public int numRows() {
    return numRows;
  }

  @Override
  public int numFeatures() {
    return numFeatures;
  }

  @Override
  public float label(int i) {
    return labels[i];
  }

  /** Row pointers, {@code numRows + 1} entries; do not modify. */
  public int[] indptr() {
    return indptr;
  }

  /** Column index of each stored value; do not modify. */
  public int[] indices() {
    return indices;
  }

  /** Stored values; do not modify. */
  public float[] values() {
    return values;
  }

  /** The backing label array; do not modify. */
  public float[] labels() {
    return labels;
  }

  /** Number of stored (non-zero) values. */
  public int nnz() {
    return indptr[numRows];
  }

  /**
   * The same rows declared over {@code numFeatures} columns (used once the data's dimension is
   * known, after rows were parsed without a fixed one).
   *
   * @throws IllegalArgumentException if a stored index does not fit
   */
  public SparseBlock withNumFeatures(int numFeatures) {
    for (int index : indices) {
      if (index >= numFeatures) {
        throw new IllegalArgumentException(
            "feature index " + index + " does not fit " + numFeatures + " features");
      }
    }
    return new SparseBlock(numRows, numFeatures, indptr, indices, values, labels, weights);
  }

  @Override
  public SparseBlock gather(int[] rows, int from, int count) {
    int nnz = 0;
    for (int k = 0; k < count; k++) {
      int r = rows[from + k];
      nnz += indptr[r + 1] - indptr[r];
    }
    int[] ptr = new int[count + 1];
    int[] idx = new int[nnz];
    float[] val = new float[nnz];
    float[] y = new float[count];
    int pos = 0;
    for (int k = 0; k < count; k++) {
      int r = rows[from + k];
      int len = indptr[r + 1] - indptr[r];
      System.arraycopy(indices, indptr[r], idx, pos, len);
      System.arraycopy(values, indptr[r], val, pos, len);
      pos += len;
      ptr[k + 1] = pos;
      y[k] = labels[r];
    }
    return new SparseBlock(count, numFeatures, ptr, idx, val, y,
        Weights.gather(weights, rows, from, count));
  }

  @Override
  public float[] weights() {
    return weights;
  }

  @Override
  public long sizeInBytes() {
    return 4L * indptr.length + 4L * indices.length + 4L * values.length + 4L * labels.length
        + Weights.bytes(weights);
  }

  @Override
  public SparseBlock withLabels(float[] newLabels) {
    return new SparseBlock(numRows, numFeatures, indptr, indices, values, newLabels, weights);
  }

  @Override
  public SparseBlock withWeights(float[] newWeights) {
    return new SparseBlock(numRows, numFeatures, indptr, indices, values, labels, newWeights);
  }
}
