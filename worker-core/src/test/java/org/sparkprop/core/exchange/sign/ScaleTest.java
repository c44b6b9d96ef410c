package org.sparkprop.core.exchange.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sparkprop.core.model.ParamLayout;

/** Tensor segments from a layout, and the two scale rules against hand-computed values. */
class ScaleTest {

  /** Layout 2-2-1: W0 2x2 at 0, b0 2 at 4, W1 2x1 at 6, b1 1 at 8; 9 parameters. */
  private static final ParamLayout LAYOUT = new ParamLayout(2, 2, 1);

  /** W0 = [1, -2, 3, -4], b0 = [0.5, -0.5], W1 = [3, -4], b1 = [-2]. */
  private static final float[] X = {1, -2, 3, -4, 0.5f, -0.5f, 3, -4, -2};

  @Test
  void segmentsOfALayoutAreEachWeightAndEachBias() {
    Segments s = Segments.of(LAYOUT);
    assertArrayEquals(new int[] {0, 4, 6, 8, 9}, s.bounds());
    assertEquals(4, s.count());
    assertEquals(9, s.length());
    assertEquals(6, s.start(2));
    assertEquals(8, s.end(2));
    assertEquals(2, s.size(2));
    assertEquals(Segments.ofBounds(0, 4, 6, 8, 9), s);
    assertArrayEquals(new int[] {0, 7840, 7850},
        Segments.of(new ParamLayout(784, 10)).bounds());
  }

  @Test
  void l1MeanPerTensorMatchesHandComputedValues() {
    float[] scales = new float[4];
    Scale.L1_MEAN.perTensor(X, Segments.of(LAYOUT), scales);
    // W0: (1+2+3+4)/4 = 2.5; b0: (0.5+0.5)/2 = 0.5; W1: (3+4)/2 = 3.5; b1: 2/1 = 2
    assertArrayEquals(new float[] {2.5f, 0.5f, 3.5f, 2f}, scales, 0f);
  }

  @Test
  void l2RmsPerTensorMatchesHandComputedValues() {
    float[] scales = new float[4];
    Scale.L2_RMS.perTensor(X, Segments.of(LAYOUT), scales);
    // W0: sqrt((1+4+9+16)/4) = sqrt(7.5); b0: sqrt(0.5/2) = 0.5; W1: sqrt(25/2); b1: 2
    assertArrayEquals(new float[] {(float) Math.sqrt(7.5), 0.5f, (float) Math.sqrt(12.5), 2f},
        scales, 0f);
  }

  @Test
  void wholeVectorScalesAndZeros() {
    assertEquals((float) (20.0 / 9), Scale.L1_MEAN.of(X, 0, 9), 0f);
    assertEquals((float) Math.sqrt(59.5 / 9), Scale.L2_RMS.of(X, 0, 9), 0f);
    assertEquals(0f, Scale.L1_MEAN.of(new float[5], 0, 5), 0f);
    assertEquals(0f, Scale.L2_RMS.of(new float[5], 0, 5), 0f);
    assertEquals(Float.NaN, Scale.L1_MEAN.of(new float[] {1, Float.NaN}, 0, 2), 0f);
  }

  @Test
  void badSegmentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Segments.ofBounds(0));
    assertThrows(IllegalArgumentException.class, () -> Segments.ofBounds(1, 5));
    assertThrows(IllegalArgumentException.class, () -> Segments.ofBounds(0, 3, 3, 5));
    assertThrows(IllegalArgumentException.class,
        () -> Scale.L1_MEAN.perTensor(X, Segments.single(8), new float[1]));
    assertThrows(IllegalArgumentException.class,
        () -> Scale.L1_MEAN.perTensor(X, Segments.single(9), new float[2]));
  }
}
