package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Shared inputs: one config per option combination, gradient sequences, masks, comparisons. */
final class Fixtures {

  private Fixtures() {}

  static final int N = 48;
  static final int STEPS = 25;

  /** Every optimizer and option combination the reference tests cover. */
  static List<OptimizerConfig> allConfigs() {
    List<OptimizerConfig> c = new ArrayList<>();
    c.add(SgdConfig.builder().lr(0.05).build());
    c.add(SgdConfig.builder().lr(0.05).weightDecay(0.01).build());
    c.add(SgdConfig.builder().lr(0.05).momentum(0.9).build());
    c.add(SgdConfig.builder().lr(0.05).momentum(0.9).dampening(0.25).build());
    c.add(SgdConfig.builder().lr(0.05).momentum(0.8).dampening(0.25).weightDecay(0.02).build());
    c.add(SgdConfig.builder().lr(0.05).momentum(0.9).nesterov(true).build());
    c.add(SgdConfig.builder().lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01).build());

    c.add(AdagradConfig.defaults());
    c.add(AdagradConfig.builder().lrDecay(0.1).initialAccumulatorValue(0.1).build());
    c.add(AdagradConfig.builder().lr(0.1).weightDecay(0.01).eps(1e-3).build());

    for (boolean centered : new boolean[] {false, true}) {
      for (double momentum : new double[] {0, 0.9}) {
        for (double wd : new double[] {0, 0.01}) {
          c.add(
              RmsPropConfig.builder()
                  .centered(centered)
                  .momentum(momentum)
                  .weightDecay(wd)
                  .build());
        }
      }
    }
    c.add(RmsPropConfig.builder().alpha(0.5).eps(1e-3).centered(true).build());

    for (boolean decoupled : new boolean[] {false, true}) {
      for (boolean amsgrad : new boolean[] {false, true}) {
        for (double wd : new double[] {0, 0.05}) {
          AdamConfig.Builder b = decoupled ? AdamConfig.adamw() : AdamConfig.adam();
          c.add(b.lr(0.01).amsgrad(amsgrad).weightDecay(wd).build());
        }
      }
    }
    c.add(AdamConfig.adam().betas(0.0, 0.5).eps(1e-4).build());
    c.add(AdamConfig.adamw().betas(0.5, 0.9).amsgrad(true).build());

    for (RpropConfig.Variant v : RpropConfig.Variant.values()) {
      c.add(RpropConfig.builder(v).build());
      c.add(RpropConfig.builder(v).weightDecay(0.01).build());
      // narrow bounds so that both clamps are hit within the 25 steps
      c.add(RpropConfig.builder(v).lr(0.01).stepSizes(2e-3, 0.02).etas(0.3, 1.5).build());
    }

    c.add(SignConfig.sign().lr(0.01).build());
    c.add(SignConfig.sign().lr(0.01).weightDecay(0.1).build());
    c.add(SignConfig.signum().lr(0.01).build());
    c.add(SignConfig.signum().lr(0.01).momentum(0.5).weightDecay(0.1).build());
    return c;
  }

  /** {@link #allConfigs()} as JUnit arguments (config, masked), each without and with a mask. */
  static Stream<Arguments> configsWithAndWithoutMask() {
    List<Arguments> a = new ArrayList<>();
    for (OptimizerConfig c : allConfigs()) {
      a.add(Arguments.of(c.toString(), c, false));
      if (hasWeightDecay(c)) {
        a.add(Arguments.of(c.toString() + " masked", c, true));
      }
    }
    return a.stream();
  }

  static boolean hasWeightDecay(OptimizerConfig c) {
    Object wd = c.toMap().get("weight_decay");
    return wd instanceof Double && (Double) wd != 0.0;
  }

  /** Every fourth entry excluded from decay, as a bias would be. */
  static boolean[] mask(int n) {
    boolean[] m = new boolean[n];
    for (int i = 0; i < n; i++) {
      m[i] = i % 4 != 3;
    }
    return m;
  }

  static float[] initialParams(int n, long seed) {
    Random r = new Random(seed);
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = (float) r.nextGaussian();
    }
    return p;
  }

  /**
   * Gradient sequences with the cases that matter, by entry: random (i % 6 == 0, 1), constant
   * sign (2), alternating sign (3), often exactly zero (4), tiny magnitude (5); and every entry
   * of step 7 is zero.
   */
  static float[][] gradients(int n, int steps, long seed) {
    Random r = new Random(seed);
    float[][] g = new float[steps][n];
    for (int t = 0; t < steps; t++) {
      if (t == 6) {
        continue;
      }
      for (int i = 0; i < n; i++) {
        double mag = Math.abs(r.nextGaussian()) + 0.05;
        switch (i % 6) {
          case 2:
            g[t][i] = (float) (i % 12 == 2 ? mag : -mag);
            break;
          case 3:
            g[t][i] = (float) (t % 2 == 0 ? mag : -mag);
            break;
          case 4:
            g[t][i] = r.nextDouble() < 0.4 ? 0f : (float) r.nextGaussian();
            break;
          case 5:
            g[t][i] = (float) (1e-4 * r.nextGaussian());
            break;
          default:
            g[t][i] = (float) r.nextGaussian();
        }
      }
    }
    return g;
  }

  /** A varying learning rate per step (1-based), to exercise the lr argument. */
  static double lrAt(OptimizerConfig c, int t) {
    return c.lr() * (1 + 0.5 * Math.sin(t));
  }

  /** A loss that goes up and down (for irprop-plus's decision). */
  static double lossAt(int t) {
    return 1.0 + 0.3 * Math.sin(1.7 * t) + 0.01 * t;
  }

  /** |actual − expected| ≤ rel·|expected| + abs, entry by entry, with a message naming it. */
  static void assertClose(
      String what, float[] expected, float[] actual, double rel, double abs) {
    assertClose(what, expected, actual, null, rel, abs);
  }

  /**
   * |actual − expected| ≤ rel·max(|expected|, scale) + abs, entry by entry; {@code scale} (per
   * entry, or null for none) is the size a float32 result's rounding is measured against where
   * it is larger than the result, as for a sum whose terms cancel.
   */
  static void assertClose(
      String what, float[] expected, float[] actual, double[] scale, double rel, double abs) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      double size = Math.max(Math.abs(e), scale == null ? 0 : scale[i]);
      assertTrue(
          Math.abs(a - e) <= rel * size + abs,
          what + "[" + i + "]: expected " + e + ", got " + a);
    }
  }

  /** A relative tolerance of a hand-computed double against a float32 result. */
  static void assertNear(double expected, double actual, String what) {
    assertTrue(
        Math.abs(actual - expected) <= 1e-6 * Math.abs(expected) + 1e-9,
        what + ": expected " + expected + ", got " + actual);
  }
}
