package org.sparkprop.core.data;

import java.util.Objects;

/** Dense rows: {@code features[r * numFeatures + j]} is feature j of row r (row-major float32). */
public final class DenseBlock implements Block {
  private static final long serialVersionUID = 1L;

  private final int numRows;
  private final int numFeatures;
  private final float[] features;
  private final float[] labels;
  private final float[] weights; // null: every row weighs 1

  /**
   * Wraps the arrays without copying; the caller hands them over.
   *
   * @throws IllegalArgumentException if the lengths do not agree
   */
  public DenseBlock(int numRows, int numFeatures, float[] features, float[] labels) {
    this(numRows, numFeatures, features, labels, null);
  }

  /**
   * With per-row weights (null: none). Wraps the arrays without copying.
   *
   * @throws IllegalArgumentException if the lengths do not agree
   */
  public DenseBlock(int numRows, int numFeatures, float[] features, float[] labels,
      float[] weights) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    if (numRows < 0 || numFeatures <= 0) {
      throw new IllegalArgumentException(
          "numRows must be >= 0 and numFeatures > 0, got " + numRows + " and " + numFeatures);
    }
    if ((long) numRows * numFeatures != features.length) {
      throw new IllegalArgumentException(
          "features has " + features.length + " values, expected " + numRows + " x " + numFeatures);
    }
    if (labels.length != numRows) {
      throw new IllegalArgumentException(
          "labels has " + labels.length + " values, expected " + numRows);
    }
    Weights.checkLength(weights, numRows);
    this.numRows = numRows;
    this.numFeatures = numFeatures;
    this.features = features;
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

  /** The backing row-major array; do not modify. */
  public float[] features() {
    return features;
  }

  /** The backing label array; do not modify. */
  public float[] labels() {
    return labels;
  }

  @Override
  public float[] weights() {
    return weights;
  }

  @Override
  public DenseBlock gather(int[] rows, int from, int count) {
    float[] x = new float[count * numFeatures];
    float[] y = new float[count];
    for (int k = 0; k < count; k++) {
      int r = rows[from + k];
      System.arraycopy(features, r * numFeatures, x, k * numFeatures, numFeatures);
      y[k] = labels[r];
    }
    return new DenseBlock(count, numFeatures, x, y, Weights.gather(weights, rows, from, count));
  }

  @Override
  public long sizeInBytes() {
    return 4L * features.length + 4L * labels.length + Weights.bytes(weights);
  }

  @Override
  public DenseBlock withLabels(float[] newLabels) {
    return new DenseBlock(numRows, numFeatures, features, newLabels, weights);
  }

  @Override
  public DenseBlock withWeights(float[] newWeights) {
    return new DenseBlock(numRows, numFeatures, features, labels, newWeights);
  }
}
