package org.sparkprop.driver.optim;

import java.util.Arrays;
import org.sparkprop.core.model.ParamLayout;

/**
 * The tensors of a flat parameter vector, for optimizers with per-tensor (layer-wise) rules
 * (LAMB's and LARS's trust ratios): tensor {@code k} holds entries {@code [starts[k],
 * starts[k+1])}; {@code bias[k]} marks the tensors the papers leave out of the trust ratio and
 * the weight decay.
 */
public record Tensors(int[] starts, boolean[] bias) {

  public Tensors {
    if (starts.length != bias.length + 1 || starts[0] != 0) {
      throw new IllegalArgumentException("starts must begin at 0 and have one entry more than "
          + "bias, got " + Arrays.toString(starts) + " and " + bias.length + " flags");
    }
    for (int k = 0; k < bias.length; k++) {
      if (starts[k + 1] <= starts[k]) {
        throw new IllegalArgumentException("empty or unordered tensor " + k + " in "
            + Arrays.toString(starts));
      }
    }
  }

  /** The whole vector as one weight tensor (no layout known). */
  public static Tensors whole(int numParams) {
    return new Tensors(new int[] {0, numParams}, new boolean[] {false});
  }

  /** A model's tensors: W1, b1, W2, b2, ... in the flat layout's order. */
  public static Tensors of(ParamLayout layout) {
    int layers = layout.numLayers();
    int[] starts = new int[2 * layers + 1];
    boolean[] bias = new boolean[2 * layers];
    for (int l = 0; l < layers; l++) {
      starts[2 * l] = layout.weightOffset(l);
      starts[2 * l + 1] = layout.biasOffset(l);
      bias[2 * l + 1] = true;
    }
    starts[2 * layers] = layout.numParams();
    return new Tensors(starts, bias);
  }

  public int count() {
    return bias.length;
  }

  /** The number of entries. */
  public int numParams() {
    return starts[bias.length];
  }
}
