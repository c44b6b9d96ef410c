package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Updates of more than {@link AbstractOptimizer#CHUNK} entries run in parallel chunks. Every
 * update is element-wise, so an array made of many copies of one small tile must come out as
 * exactly those copies of the tile updated alone (one chunk, the calling thread): bit for bit,
 * in the parameters and every state array, for every optimizer and option.
 */
class ParallelUpdateTest {
  private static final int TILES = 2 * AbstractOptimizer.CHUNK / Fixtures.N + 7;
  private static final int STEPS = 8;

  static Stream<Arguments> configs() {
    // irprop-plus with weight decay compares the whole objective (loss + a penalty summed over
    // all entries) with the last one: a tiled array has a different penalty, so a different
    // (and correct) backtracking decision than a single tile. Its element-wise part is covered
    // by irprop-plus without decay.
    return Fixtures.configsWithAndWithoutMask().filter(a -> {
      OptimizerConfig c = (OptimizerConfig) a.get()[1];
      return !(c instanceof RpropConfig r && r.variant() == RpropConfig.Variant.IRPROP_PLUS
          && Fixtures.hasWeightDecay(c));
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void parallelChunksGiveTheBitsOfTheTileUpdatedAlone(String label, OptimizerConfig config,
      boolean masked) {
    int n = Fixtures.N;
    int big = n * TILES;
    assertTrue(big > 2 * AbstractOptimizer.CHUNK, "spans at least three chunks");
    boolean[] mask = masked ? Fixtures.mask(n) : null;
    Optimizer tile = config.create(n, mask);
    Optimizer tiled = config.create(big, mask == null ? null : tile(mask, TILES));
    float[] params = Fixtures.initialParams(n, 21);
    float[] bigParams = tile(params, TILES);
    float[][] grads = Fixtures.gradients(n, STEPS, 22);
    for (int t = 1; t <= STEPS; t++) {
      double lr = Fixtures.lrAt(config, t);
      double loss = Fixtures.lossAt(t);
      tile.step(params, grads[t - 1].clone(), lr, loss);
      tiled.step(bigParams, tile(grads[t - 1], TILES), lr, loss);
      assertTiled(label + " step " + t + " params", params, bigParams);
      OptimizerState small = tile.exportState();
      OptimizerState large = tiled.exportState();
      for (String name : small.arrayNames()) {
        assertTiled(label + " step " + t + " " + name, small.array(name), large.array(name));
      }
    }
  }

  private static void assertTiled(String what, float[] one, float[] many) {
    for (int i = 0; i < many.length; i++) {
      int bits = Float.floatToRawIntBits(one[i % one.length]);
      if (bits != Float.floatToRawIntBits(many[i])) {
        assertEquals(Integer.toHexString(bits), Integer.toHexString(
            Float.floatToRawIntBits(many[i])), what + " at " + i + ": " + many[i]);
      }
    }
  }

  private static float[] tile(float[] a, int copies) {
    float[] out = new float[a.length * copies];
    for (int c = 0; c < copies; c++) {
      System.arraycopy(a, 0, out, c * a.length, a.length);
    }
    return out;
  }

  private static boolean[] tile(boolean[] a, int copies) {
    boolean[] out = new boolean[a.length * copies];
    for (int c = 0; c < copies; c++) {
      System.arraycopy(a, 0, out, c * a.length, a.length);
    }
    return out;
  }
}
