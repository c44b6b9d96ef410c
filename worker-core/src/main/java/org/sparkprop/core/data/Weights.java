package org.sparkprop.core.data;

/** Helpers for a block's optional per-row weights (null: every row weighs 1). */
final class Weights {
  private Weights() {}

  static void checkLength(float[] weights, int numRows) {
    if (weights != null && weights.length != numRows) {
      throw new IllegalArgumentException(
          "weights has " + weights.length + " values, expected " + numRows);
    }
  }

  /** The weights of {@code rows[from .. from + count - 1]}, or null without weights. */
  static float[] gather(float[] weights, int[] rows, int from, int count) {
    if (weights == null) {
      return null;
    }
    float[] out = new float[count];
    for (int k = 0; k < count; k++) {
      out[k] = weights[rows[from + k]];
    }
    return out;
  }

  static long bytes(float[] weights) {
    return weights == null ? 0 : 4L * weights.length;
  }
}
