package org.sparkprop.core.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Layout of a model's parameters in one flat float32 vector: {@code [W_0, b_0, W_1, b_1, ...]}.
 *
 * <p>Layer {@code l} (0-based) maps {@code inputSize(l)} inputs to {@code outputSize(l)} outputs
 * as {@code Z = X · W_l + b_l}. {@code W_l} has shape {@code (inputSize(l), outputSize(l))} and is
 * stored row-major from {@link #weightOffset(int)}: entry {@code (i, j)} is at {@code
 * weightOffset(l) + i * outputSize(l) + j}. {@code b_l} has {@code outputSize(l)} entries from
 * {@link #biasOffset(int)}. Immutable.
 */
public final class ParamLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] sizes;
  private final int[] weightOffsets;
  private final int[] biasOffsets;
  private final int numParams;

  /**
   * A layout for layer widths {@code sizes = [input, hidden..., output]}.
   *
   * @throws IllegalArgumentException if fewer than two sizes, a size is not positive, or the
   *     parameter count does not fit a Java array
   */
  public ParamLayout(int... sizes) {
    if (sizes == null || sizes.length < 2) {
      throw new IllegalArgumentException("a layout needs at least an input and an output size");
    }
    for (int s : sizes) {
      if (s <= 0) {
        throw new IllegalArgumentException("layer sizes must be positive, got " + Arrays.toString(sizes));
      }
    }
    this.sizes = sizes.clone();
    int layers = sizes.length - 1;
    weightOffsets = new int[layers];
    biasOffsets = new int[layers];
    long off = 0;
    for (int l = 0; l < layers; l++) {
      weightOffsets[l] = (int) off;
      off += (long) sizes[l] * sizes[l + 1];
      if (off > Integer.MAX_VALUE - 16) {
        break;
      }
      biasOffsets[l] = (int) off;
      off += sizes[l + 1];
    }
    if (off > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "model " + sizesString() + " has too many parameters for one array (limit "
              + (Integer.MAX_VALUE - 16) + ")");
    }
    numParams = (int) off;
  }

  /** Number of layers (weight matrices). */
  public int numLayers() {
    return weightOffsets.length;
  }

  /** Inputs of layer {@code l} (rows of {@code W_l}). */
  public int inputSize(int l) {
    checkLayer(l);
    return sizes[l];
  }

  /** Outputs of layer {@code l} (columns of {@code W_l}, entries of {@code b_l}). */
  public int outputSize(int l) {
    checkLayer(l);
    return sizes[l + 1];
  }

  /** Index of {@code W_l[0][0]} in the flat vector. */
  public int weightOffset(int l) {
    checkLayer(l);
    return weightOffsets[l];
  }

  /** Index of {@code b_l[0]} in the flat vector. */
  public int biasOffset(int l) {
    checkLayer(l);
    return biasOffsets[l];
  }

  /** Length of the flat parameter vector. */
  public int numParams() {
    return numParams;
  }

  /** The layer widths {@code [input, hidden..., output]} (a copy). */
  public int[] sizes() {
    return sizes.clone();
  }

  /** A new mask, true at every bias entry (e.g. to exclude biases from weight decay). */
  public boolean[] biasMask() {
    boolean[] mask = new boolean[numParams];
    for (int l = 0; l < numLayers(); l++) {
      Arrays.fill(mask, biasOffsets[l], biasOffsets[l] + sizes[l + 1], true);
    }
    return mask;
  }

  /**
   * One line per layer, e.g. {@code "layer 0: W 784x256 at 0, b 256 at 200704"}, then the total.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < numLayers(); l++) {
      sb.append("layer ").append(l).append(": W ").append(sizes[l]).append('x')
          .append(sizes[l + 1]).append(" at ").append(weightOffsets[l]).append(", b ")
          .append(sizes[l + 1]).append(" at ").append(biasOffsets[l]).append('\n');
    }
    return sb.append(numParams).append(" parameters").toString();
  }

  private String sizesString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sizes.length; i++) {
      sb.append(i > 0 ? "-" : "").append(sizes[i]);
    }
    return sb.toString();
  }

  private void checkLayer(int l) {
    if (l < 0 || l >= weightOffsets.length) {
      throw new IndexOutOfBoundsException(
          "layer " + l + " does not exist: the model has " + weightOffsets.length + " layers");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParamLayout && Arrays.equals(sizes, ((ParamLayout) o).sizes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sizes);
  }

  @Override
  public String toString() {
    return "ParamLayout[" + sizesString() + ", " + numParams + " params]";
  }
}
