package org.sparkprop.core.data;

import java.io.Serializable;

/**
 * Rows of training data packed into contiguous arrays, plus one label per row and, when the
 * data has a weight column, one weight per row.
 *
 * <p>A block is either {@link DenseBlock} (row-major float32) or {@link SparseBlock} (CSR).
 * Blocks are built once when the data is read and cached by Spark; the training hot path
 * reads them and never sees a per-row object. Blocks are immutable once built.
 */
public interface Block extends Serializable {

  /** Number of rows (examples) in this block. */
  int numRows();

  /** Number of features of every row (the model's input dimension). */
  int numFeatures();

  /** The label of row {@code i}: a class index for classification, a value for regression. */
  float label(int i);

  /**
   * The weight of row {@code i} in the training loss: the loss of a batch is {@code sum_i
   * weight(i) * loss_i / rows} (Keras' convention; weights of 1 give the plain mean).
   */
  default float weight(int i) {
    float[] w = weights();
    return w == null ? 1f : w[i];
  }

  /** The per-row weights, or null when every row weighs 1 (no weight column). */
  float[] weights();

  /**
   * The same rows with these weights ({@code weights.length == numRows()}, or null for none);
   * the other arrays are shared, not copied.
   */
  Block withWeights(float[] weights);

  /**
   * Copies the rows {@code rows[from] .. rows[from + count - 1]} of this block into a new block
   * of the same kind (dense stays dense, sparse stays sparse), in that order.
   */
  Block gather(int[] rows, int from, int count);

  /**
   * The same rows with other labels ({@code labels.length == numRows()}); the feature arrays
   * are shared, not copied.
   */
  Block withLabels(float[] labels);

  /** Heap bytes held by this block's arrays (for the memory bound of cached data). */
  long sizeInBytes();
}
