package org.sparkprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparkprop.core.data.DenseBlock;

/** Hand-checked loss values and gradients, and numerical stability at extreme logits. */
class OutputLossTest {
  private static final double TOL = 1e-15;

  private static double loss(OutputLoss l, double[] z, float label, double[] grad) {
    return l.lossAndGradient(z, 0, z.length, label, grad);
  }

  @Test
  void softmaxCrossEntropyGolden() {
    double[] g = new double[3];
    assertEquals(0.4076059644443806, loss(OutputLoss.SOFTMAX_CROSS_ENTROPY, new double[] {1, 2, 3}, 2, g), TOL);
    assertArrayEquals(new double[] {0.09003057317038043, 0.24472847105479759, 0.6652409557748217 - 1}, g, TOL);
    assertEquals(2.4076059644443806, loss(OutputLoss.SOFTMAX_CROSS_ENTROPY, new double[] {1, 2, 3}, 0, g), TOL);
    assertArrayEquals(new double[] {0.09003057317038043 - 1, 0.24472847105479759, 0.6652409557748217}, g, TOL);

    double[] g4 = new double[4];
    assertEquals(1.9028265559655049, loss(OutputLoss.SOFTMAX_CROSS_ENTROPY, new double[] {-1, 0.5, 0.5, 2}, 1, g4), TOL);
    assertArrayEquals(
        new double[] {0.03327907173602348, 0.14914645207033284 - 1, 0.14914645207033284, 0.6684280241233108}, g4, TOL);
  }

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    double[] g = new double[2];
    assertEquals(0.0, loss(OutputLoss.SOFTMAX_CROSS_ENTROPY, new double[] {1000, 0}, 0, g), TOL);
    assertArrayEquals(new double[] {0, 0}, g, TOL);
    assertEquals(1000.0, loss(OutputLoss.SOFTMAX_CROSS_ENTROPY, new double[] {1000, 0}, 1, g), TOL);
    assertArrayEquals(new double[] {1, -1}, g, TOL);
    assertEquals(Math.log(2), loss(OutputLoss.SOFTMAX_CROSS_ENTROPY, new double[] {1000, 1000}, 1, g), TOL);
    assertEquals(2000.0, loss(OutputLoss.SOFTMAX_CROSS_ENTROPY, new double[] {-1000, 1000}, 0, g), TOL);
  }

  @Test
  void binaryCrossEntropyGolden() {
    double[] g = new double[1];
    assertEquals(Math.log(2), loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {0}, 0, g), TOL);
    assertEquals(0.5, g[0], TOL);
    assertEquals(Math.log(2), loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {0}, 1, g), TOL);
    assertEquals(-0.5, g[0], TOL);
    assertEquals(0.1269280110429725, loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {-2}, 0, g), TOL);
    assertEquals(0.11920292202211755, g[0], TOL);
  }

  @Test
  void binaryCrossEntropyIsStableForHugeLogits() {
    double[] g = new double[1];
    assertEquals(100.0, loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {100}, 0, g), TOL);
    assertEquals(1.0, g[0], TOL);
    double small = loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {100}, 1, g);
    assertTrue(small >= 0 && small < 1e-40, "z=100, y=1 gives " + small);
    assertEquals(0.0, g[0], 1e-40);
    assertEquals(100.0, loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {-100}, 1, g), TOL);
    assertEquals(-1.0, g[0], TOL);
    assertEquals(1000.0, loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {1000}, 0, g), TOL);
    assertEquals(1000.0, loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {-1000}, 1, g), TOL);
    assertEquals(0.0, loss(OutputLoss.BINARY_CROSS_ENTROPY, new double[] {-1000}, 0, g), TOL);
  }

  @Test
  void mseGolden() {
    double[] g1 = new double[1];
    assertEquals(4.0, loss(OutputLoss.MSE, new double[] {3}, 1, g1), TOL);
    assertEquals(4.0, g1[0], TOL);
    double[] g3 = new double[3];
    assertEquals(1.25 / 3, loss(OutputLoss.MSE, new double[] {0.5, 1, -1}, 1, g3), TOL);
    assertArrayEquals(new double[] {1.0 / 3, 0, -2.0 / 3}, g3, TOL);
  }

  @Test
  void gradientIsOptionalAndOffsetsAreHonoured() {
    double[] z = {9, 9, 1, 2, 3};
    double[] g = new double[5];
    assertEquals(0.4076059644443806, OutputLoss.SOFTMAX_CROSS_ENTROPY.lossAndGradient(z, 2, 3, 2, null), TOL);
    OutputLoss.SOFTMAX_CROSS_ENTROPY.lossAndGradient(z, 2, 3, 2, g);
    assertEquals(0.0, g[0]);
    assertEquals(0.0, g[1]);
    assertEquals(0.09003057317038043, g[2], TOL);
  }

  @Test
  void predictions() {
    float[] out = new float[4];
    OutputLoss.SOFTMAX_CROSS_ENTROPY.predict(new double[] {1000, 0, 1000}, 0, 3, out, 1);
    assertArrayEquals(new float[] {0, 0.5f, 0, 0.5f}, out);
    OutputLoss.BINARY_CROSS_ENTROPY.predict(new double[] {-2}, 0, 1, out, 0);
    assertEquals(0.11920292202211755, out[0], 1e-7);
    OutputLoss.MSE.predict(new double[] {-2.5, 7}, 0, 2, out, 2);
    assertArrayEquals(new float[] {0.11920292f, 0.5f, -2.5f, 7f}, out, 1e-7f);
  }

  /** The float training path through Network stays finite at logits of +-1000. */
  @Test
  void networkIsStableWithHugeLogits() {
    Network softmax = new Network(ModelSpec.softmaxRegression(1, 2));
    float[] p = {1000, 0, 0, 0}; // W = [1000, 0], b = [0, 0]
    float[] g = new float[4];
    DenseBlock x = new DenseBlock(2, 1, new float[] {1, 1}, new float[] {0, 1});
    assertEquals(1000.0, softmax.gradient(p, x, g), 1e-9);
    // row 1 (label 0) is right with certainty: dz = 0; row 2 (label 1): dz = softmax - onehot = [1, -1]
    assertArrayEquals(new float[] {1, -1, 1, -1}, g);
    float[] prob = new float[4];
    softmax.predict(p, x, prob);
    assertArrayEquals(new float[] {1, 0, 1, 0}, prob);

    Network logistic = new Network(ModelSpec.logisticRegression(1));
    float[] q = {100, 0};
    float[] h = new float[2];
    assertEquals(100.0, logistic.gradient(q, new DenseBlock(1, 1, new float[] {1}, new float[] {0}), h), 1e-9);
    assertArrayEquals(new float[] {1, 1}, h);
    double tiny = logistic.gradient(q, new DenseBlock(1, 1, new float[] {1}, new float[] {1}), h);
    assertTrue(tiny >= 0 && tiny < 1e-40);
    assertEquals(1000.0, logistic.gradient(new float[] {-1000, 0}, new DenseBlock(1, 1, new float[] {1}, new float[] {1}), h), 1e-9);
    for (float v : h) {
      assertFalse(Float.isNaN(v) || Float.isInfinite(v));
    }
  }

  @Test
  void configNames() {
    assertEquals(OutputLoss.BINARY_CROSS_ENTROPY, OutputLoss.fromName(" Binary_Cross_Entropy "));
    for (OutputLoss l : OutputLoss.values()) {
      assertEquals(l, OutputLoss.fromName(l.configName()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputLoss.fromName("hinge"));
    assertEquals("unknown loss 'hinge': expected one of mse, binary_cross_entropy, softmax_cross_entropy", e.getMessage());
  }
}
