package org.sparkprop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkprop.core.data.Block;

/**
 * Backprop against central finite differences, in double precision, for every model kind, hidden
 * activation and output loss, on dense and on sparse (about half zeros) input.
 *
 * <p>Criterion as in DL4J's gradient checks: relative error {@code |a - n| / max(|a|, |n|) <=
 * 1e-5}, components where both |a| and |n| are below 1e-8 skipped.
 */
class GradientCheckTest {
  static final int IN = 7;
  static final int[] HIDDEN = {5, 4};
  static final int CLASSES = 3;
  static final int ROWS = 6;
  /**
   * Step of the central differences. At 1e-6 the double round-off of the loss sum (~1e-15 of a
   * few nats, divided by 2 eps) reaches 1e-5 relative on gradient components near 1e-5; at 1e-5
   * it stays two orders below while the O(eps^2) truncation error is still negligible.
   */
  static final double EPS = 1e-5;
  static final double MAX_REL_ERROR = 1e-5;
  static final double MIN_ABS = 1e-8;

  static Stream<Arguments> cases() {
    List<ModelSpec> specs = new ArrayList<>();
    specs.add(ModelSpec.linearRegression(IN));
    specs.add(ModelSpec.logisticRegression(IN));
    specs.add(ModelSpec.softmaxRegression(IN, CLASSES));
    for (Activation act : Activation.values()) {
      specs.add(ModelSpec.mlp(IN, HIDDEN, act, 1, OutputLoss.MSE));
      specs.add(ModelSpec.mlp(IN, HIDDEN, act, CLASSES, OutputLoss.MSE));
      specs.add(ModelSpec.mlp(IN, HIDDEN, act, 1, OutputLoss.BINARY_CROSS_ENTROPY));
      specs.add(ModelSpec.mlp(IN, HIDDEN, act, CLASSES, OutputLoss.SOFTMAX_CROSS_ENTROPY));
    }
    List<Arguments> args = new ArrayList<>();
    for (Input input : Input.values()) {
      for (ModelSpec s : specs) {
        if (input != Input.DENSE_MOSTLY_ZERO || s.layout().numLayers() > 1) {
          args.add(Arguments.of(s.describe(), s, input));
        }
      }
    }
    return args.stream();
  }

  /** The three first-layer paths: dense GEMM, CSR, and dense input with its zeros skipped. */
  enum Input {
    DENSE,
    SPARSE,
    /** 85 % zeros: an MLP's first layer skips them ({@link Network#skipsZeros}). */
    DENSE_MOSTLY_ZERO
  }

  @ParameterizedTest(name = "{0}, {2}")
  @MethodSource("cases")
  void backpropMatchesFiniteDifferences(String name, ModelSpec spec, Input input) {
    Network net = new Network(spec);
    double zeros = input == Input.DENSE ? 0.0 : input == Input.SPARSE ? 0.5 : 0.85;
    // Reseed until no hidden pre-activation is near a relu kink.
    for (long seed = 1; seed <= 50; seed++) {
      float[] x = TestData.features(ROWS, IN, zeros, 100 + seed);
      float[] y = TestData.labels(spec, ROWS, 200 + seed);
      double[] p = TestData.toDouble(TestData.params(spec, seed));
      Block batch = input == Input.SPARSE
          ? TestData.sparse(ROWS, IN, x, y) : TestData.dense(ROWS, IN, x, y);
      if (TestData.reference(spec, p, x, y, ROWS, null) < 1e-4
          || (input == Input.DENSE_MOSTLY_ZERO && !net.skipsZeros(batch))) {
        continue; // a relu kink, or a draw above the density limit
      }
      assertEquals(input == Input.DENSE_MOSTLY_ZERO, net.skipsZeros(batch), "first-layer path");
      check(net, spec, p, x, y, batch);
      return;
    }
    fail("no seed without relu kinks");
  }

  private static void check(Network net, ModelSpec spec, double[] p, float[] x, float[] y, Block batch) {
    double[] grad = new double[p.length];
    double loss = net.gradient(p, batch, grad);
    double[] ref = new double[1];
    TestData.reference(spec, p, x, y, ROWS, ref);
    assertEquals(ref[0], loss, 1e-12 * Math.max(1, Math.abs(ref[0])), "loss vs plain-Java reference");

    double[] scratch = new double[p.length];
    int checked = 0;
    double worst = 0;
    StringBuilder failures = new StringBuilder();
    for (int i = 0; i < p.length; i++) {
      double orig = p[i];
      p[i] = orig + EPS;
      double plus = net.gradient(p, batch, scratch);
      p[i] = orig - EPS;
      double minus = net.gradient(p, batch, scratch);
      p[i] = orig;
      double numeric = (plus - minus) / (2 * EPS);
      double a = grad[i];
      if (Math.abs(a) < MIN_ABS && Math.abs(numeric) < MIN_ABS) {
        continue;
      }
      checked++;
      double rel = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric));
      worst = Math.max(worst, rel);
      if (rel > MAX_REL_ERROR) {
        failures.append(String.format(java.util.Locale.ROOT,
            "%n  param %d: backprop %.10g, numeric %.10g, rel error %.3g", i, a, numeric, rel));
      }
    }
    System.out.printf(java.util.Locale.ROOT, "%s %s: %d of %d checked, worst relative error %.2e%n",
        spec.describe(), batch.getClass().getSimpleName(), checked, p.length, worst);
    if (failures.length() > 0) {
      fail(spec.describe() + ":" + failures);
    }
    assertTrue(checked > p.length / 3, "too few components checked: " + checked + " of " + p.length);
  }
}
