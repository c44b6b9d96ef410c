package org.sparkprop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkprop.core.data.Block;

/**
 * Row weights: a weighted batch's loss and gradient are the weighted sums of its rows' (each row
 * computed alone), a weight of 2 is the row counted twice, and backprop still matches central
 * finite differences of the weighted loss, in double precision, dense and sparse.
 */
class WeightedLossTest {
  static final int IN = 7;
  static final int ROWS = 6;
  static final float[] WEIGHTS = {0f, 0.5f, 1f, 2f, 3.25f, 1f};

  static Stream<Arguments> cases() {
    ModelSpec[] specs = {
      ModelSpec.linearRegression(IN),
      ModelSpec.logisticRegression(IN),
      ModelSpec.mlp(IN, new int[] {5}, Activation.TANH, 3, OutputLoss.SOFTMAX_CROSS_ENTROPY),
      ModelSpec.mlp(IN, new int[] {5, 4}, Activation.SIGMOID, 2, OutputLoss.MSE)};
    return Stream.of(specs).flatMap(s -> Stream.of(Arguments.of(s.describe(), s, false),
        Arguments.of(s.describe(), s, true)));
  }

  @ParameterizedTest(name = "{0}, sparse {2}")
  @MethodSource("cases")
  void weightedSumsOfTheRowsAndFiniteDifferences(String name, ModelSpec spec, boolean sparse) {
    Network net = new Network(spec);
    float[] x = TestData.features(ROWS, IN, sparse ? 0.5 : 0.0, 11);
    float[] y = TestData.labels(spec, ROWS, 12);
    double[] p = TestData.toDouble(TestData.params(spec, 13));
    Block plain = sparse ? TestData.sparse(ROWS, IN, x, y) : TestData.dense(ROWS, IN, x, y);
    Block weighted = plain.withWeights(WEIGHTS);

    double[] grad = new double[p.length];
    double loss = net.gradient(p, weighted, grad);
    double expectedLoss = 0;
    double[] expectedGrad = new double[p.length];
    double[] rowGrad = new double[p.length];
    for (int i = 0; i < ROWS; i++) {
      double l = net.gradient(p, plain.gather(new int[] {i}, 0, 1), rowGrad);
      expectedLoss += WEIGHTS[i] * l;
      for (int j = 0; j < p.length; j++) {
        expectedGrad[j] += WEIGHTS[i] * rowGrad[j];
      }
    }
    assertEquals(expectedLoss, loss, 1e-12 * Math.abs(expectedLoss), "weighted loss sum");
    for (int j = 0; j < p.length; j++) {
      assertEquals(expectedGrad[j], grad[j], 1e-12 * Math.max(1, Math.abs(expectedGrad[j])),
          "gradient component " + j);
    }

    // Weight 2 on row 3 = row 3 twice (every other weight 1).
    float[] twice = {1, 1, 1, 2, 1, 1};
    double[] gTwice = new double[p.length];
    double[] gDup = new double[p.length];
    double lTwice = net.gradient(p, plain.withWeights(twice), gTwice);
    double lDup = net.gradient(p, plain.gather(new int[] {0, 1, 2, 3, 3, 4, 5}, 0, 7), gDup);
    assertEquals(lDup, lTwice, 1e-12 * Math.abs(lDup));
    for (int j = 0; j < p.length; j++) {
      assertEquals(gDup[j], gTwice[j], 1e-12 * Math.max(1, Math.abs(gDup[j])));
    }

    double eps = GradientCheckTest.EPS;
    double[] scratch = new double[p.length];
    StringBuilder failures = new StringBuilder();
    for (int i = 0; i < p.length; i++) {
      double orig = p[i];
      p[i] = orig + eps;
      double plus = net.gradient(p, weighted, scratch);
      p[i] = orig - eps;
      double minus = net.gradient(p, weighted, scratch);
      p[i] = orig;
      double numeric = (plus - minus) / (2 * eps);
      if (Math.abs(grad[i]) < GradientCheckTest.MIN_ABS
          && Math.abs(numeric) < GradientCheckTest.MIN_ABS) {
        continue;
      }
      double rel = Math.abs(grad[i] - numeric) / Math.max(Math.abs(grad[i]), Math.abs(numeric));
      if (rel > GradientCheckTest.MAX_REL_ERROR) {
        failures.append(String.format(java.util.Locale.ROOT,
            "%n  param %d: backprop %.10g, numeric %.10g", i, grad[i], numeric));
      }
    }
    if (failures.length() > 0) {
      fail(name + ":" + failures);
    }
  }
}
