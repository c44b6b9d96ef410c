package org.sparkprop.core.exchange.sign;

import java.io.Serializable;
import java.util.Arrays;
import org.sparkprop.core.model.ParamLayout;

/**
 * The tensors of a flat vector, as contiguous non-empty index ranges that cover it: tensor
 * {@code k} is {@code [start(k), end(k))}, with {@code start(0) == 0}, {@code end(k) ==
 * start(k + 1)} and {@code end(count() - 1) == length()}. Each tensor gets one scale in a sign
 * payload. Immutable.
 */
public final class Segments implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] bounds; // count() + 1 entries, strictly increasing, bounds[0] == 0

  private Segments(int[] bounds) {
    this.bounds = bounds;
  }

  /**
   * One tensor per weight matrix and one per bias vector, in the order of the flat vector: {@code
   * W_0, b_0, W_1, b_1, ...} ({@code 2 * numLayers()} tensors).
   */
  public static Segments of(ParamLayout layout) {
    int layers = layout.numLayers();
    int[] b = new int[2 * layers + 1];
    for (int l = 0; l < layers; l++) {
      b[2 * l] = layout.weightOffset(l);
      b[2 * l + 1] = layout.biasOffset(l);
    }
    b[2 * layers] = layout.numParams();
    return ofBounds(b);
  }

  /** The whole vector of {@code length} entries as one tensor. */
  public static Segments single(int length) {
    return ofBounds(0, length);
  }

  /**
   * Tensors from their boundaries {@code [0, end_0, end_1, ..., length]}.
   *
   * @throws IllegalArgumentException if there are fewer than two bounds, the first is not 0, or
   *     the bounds are not strictly increasing (every tensor must be non-empty)
   */
  public static Segments ofBounds(int... bounds) {
    if (bounds == null || bounds.length < 2) {
      throw new IllegalArgumentException("segments need at least the bounds 0 and the length");
    }
    if (bounds[0] != 0) {
      throw new IllegalArgumentException(
          "segment bounds must start at 0: " + Arrays.toString(bounds));
    }
    for (int k = 1; k < bounds.length; k++) {
      if (bounds[k] <= bounds[k - 1]) {
        throw new IllegalArgumentException(
            "segment bounds must be strictly increasing (no empty tensor): "
                + Arrays.toString(bounds));
      }
    }
    return new Segments(bounds.clone());
  }

  /** Number of tensors. */
  public int count() {
    return bounds.length - 1;
  }

  /** Length of the covered vector. */
  public int length() {
    return bounds[bounds.length - 1];
  }

  /** First index of tensor {@code k}. */
  public int start(int k) {
    return bounds[k];
  }

  /** One past the last index of tensor {@code k}. */
  public int end(int k) {
    return bounds[k + 1];
  }

  /** Number of entries of tensor {@code k}. */
  public int size(int k) {
    return bounds[k + 1] - bounds[k];
  }

  /** The bounds {@code [0, end_0, ..., length]} (a copy). */
  public int[] bounds() {
    return bounds.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Segments && Arrays.equals(bounds, ((Segments) o).bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    return "Segments" + Arrays.toString(bounds);
  }
}
