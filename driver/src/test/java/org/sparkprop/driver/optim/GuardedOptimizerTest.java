package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Clipping, the NaN/Inf check and the guarded step around every optimizer. */
class GuardedOptimizerTest {

  @Test
  void sumOfSquaresIsExactOnSmallIntegersAndNonFiniteExactlyWhenAnEntryIs() {
    // every length around the 4-wide loop and its tail, a bad entry at every position
    for (int n = 0; n <= 11; n++) {
      float[] g = new float[n];
      double expected = 0;
      for (int i = 0; i < n; i++) {
        g[i] = (i % 3 == 0 ? -1 : 1) * (i + 1); // integers: every sum is exact in double
        expected += (double) (i + 1) * (i + 1);
      }
      assertEquals(expected, GradientClipping.sumOfSquares(g), "n=" + n);
      assertEquals(0, NonFiniteGradientException.countNonFinite(g), "n=" + n);
      for (int bad = 0; bad < n; bad++) {
        for (float x : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
          float[] h = g.clone();
          h[bad] = x;
          String at = "n=" + n + ", " + x + " at " + bad;
          assertFalse(Double.isFinite(GradientClipping.sumOfSquares(h)), at);
          assertEquals(1, NonFiniteGradientException.countNonFinite(h), at);
          assertEquals(bad, NonFiniteGradientException.firstNonFinite(h), at);
        }
      }
    }
    // the largest floats do not overflow the double sums
    float[] big = new float[1000];
    java.util.Arrays.fill(big, Float.MAX_VALUE);
    assertEquals(1000.0 * Float.MAX_VALUE * Float.MAX_VALUE, GradientClipping.sumOfSquares(big),
        1e-12 * 1000.0 * Float.MAX_VALUE * Float.MAX_VALUE);
    assertEquals(0, NonFiniteGradientException.countNonFinite(big));
  }

  @Test
  void clipByNormScalesLikePyTorch() {
    // ‖(3, 4)‖ = 5 > 1: scale = 1/(5 + 1e-6)
    float[] g = {3f, 4f};
    assertTrue(GradientClipping.byNorm(1).clip(g));
    double scale = 1 / (5 + 1e-6);
    assertEquals((float) (3 * scale), g[0]);
    assertEquals((float) (4 * scale), g[1]);
    // at the max PyTorch still scales, by 5/(5 + 1e-6): clamp(max/(norm + eps), max=1)
    float[] e = {3f, 4f};
    assertTrue(GradientClipping.byNorm(5).clip(e));
    assertEquals((float) (3 * 5 / (5 + 1e-6)), e[0]);
    // under the max: unchanged
    float[] h = {3f, 4f};
    assertFalse(GradientClipping.byNorm(5.1).clip(h));
    assertArrayEquals(new float[] {3f, 4f}, h);
  }

  @Test
  void clipByValueThenNorm() {
    float[] g = {-3f, 0.5f, 2f};
    assertTrue(GradientClipping.byValue(1).clip(g));
    assertArrayEquals(new float[] {-1f, 0.5f, 1f}, g);
    // both: clamp to [−1, 1] → (−1, 0.5, 1), norm 1.5 > 1 → scaled by 1/(1.5 + 1e-6)
    float[] h = {-3f, 0.5f, 2f};
    assertTrue(GradientClipping.of(1, 1).clip(h));
    double s = 1 / (1.5 + 1e-6);
    assertArrayEquals(new float[] {(float) -s, (float) (0.5 * s), (float) s}, h);
    assertTrue(GradientClipping.globalNorm(h) <= 1);
    float[] k = {0.5f};
    assertFalse(GradientClipping.none().clip(k));
    assertFalse(GradientClipping.none().isEnabled());
  }

  @Test
  void readsTheGradientSection() {
    List<String> problems = new ArrayList<>();
    assertEquals(
        GradientClipping.of(1, 0.5),
        GradientClipping.fromConfig(
            ConfigFactory.parseString("clip_norm = 1, clip_value = 0.5"), problems));
    assertEquals(
        GradientClipping.none(), GradientClipping.fromConfig(ConfigFactory.empty(), problems));
    assertEquals(
        NonFiniteGradientPolicy.SKIP,
        NonFiniteGradientPolicy.fromConfig(
            ConfigFactory.parseString("on_non_finite = skip"), problems));
    assertEquals(
        NonFiniteGradientPolicy.FAIL,
        NonFiniteGradientPolicy.fromConfig(ConfigFactory.empty(), problems));
    assertEquals(List.of(), problems);

    assertNull(
        GradientClipping.fromConfig(
            ConfigFactory.parseString("clip_norm = -1, clip_value = big"), problems));
    assertNull(
        NonFiniteGradientPolicy.fromConfig(
            ConfigFactory.parseString("on_non_finite = ignore"), problems));
    assertEquals(
        List.of(
            "gradient.clip_value: expected a number, got string \"big\"",
            "gradient.clip_norm: must be >= 0 and finite, got -1.0",
            "gradient.on_non_finite: must be fail or skip, got 'ignore'"),
        problems);
  }

  static Stream<Arguments> configs() {
    return Fixtures.allConfigs().stream().map(c -> Arguments.of(c.toString(), c));
  }

  /** Warm the state up, then a NaN step: skipped, counted, nothing changed; then fail throws. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void nonFiniteGradientNeverTouchesParamsOrState(String label, OptimizerConfig config) {
    int n = 12;
    Optimizer opt = config.create(n);
    float[] params = Fixtures.initialParams(n, 3);
    float[][] grads = Fixtures.gradients(n, 4, 4);
    GuardedOptimizer skip =
        new GuardedOptimizer(
            opt, LrSchedule.constant(config.lr()), GradientClipping.byNorm(10),
            NonFiniteGradientPolicy.SKIP);
    for (int t = 1; t <= 3; t++) {
      assertTrue(skip.step(t, params, grads[t - 1].clone(), Fixtures.lossAt(t)).applied());
    }
    float[] paramsBefore = params.clone();
    OptimizerState stateBefore = opt.exportState();

    float[] bad = grads[3].clone();
    bad[2] = Float.NaN;
    bad[5] = Float.POSITIVE_INFINITY;
    GuardedOptimizer.StepOutcome out = skip.step(4, params, bad, 0.5);
    assertFalse(out.applied());
    assertEquals(2, out.nonFiniteEntries());
    assertEquals(1, skip.skippedSteps());
    assertArrayEquals(paramsBefore, params);
    assertEquals(stateBefore, opt.exportState());

    out = skip.step(5, params, grads[3].clone(), Double.NaN);
    assertFalse(out.applied(), "a NaN loss is non-finite too");
    assertEquals(2, skip.skippedSteps());
    assertEquals(stateBefore, opt.exportState());

    GuardedOptimizer fail =
        new GuardedOptimizer(
            opt, LrSchedule.constant(config.lr()), GradientClipping.none(),
            NonFiniteGradientPolicy.FAIL);
    NonFiniteGradientException e =
        assertThrows(NonFiniteGradientException.class, () -> fail.step(7, params, bad, 0.5));
    assertEquals(7, e.step());
    assertEquals(2, e.badEntries());
    assertEquals(
        "non-finite gradient at step 7: 2 of 12 entries are NaN or infinite (first at index 2);"
            + " parameters and optimizer state are unchanged",
        e.getMessage());
    e = assertThrows(
        NonFiniteGradientException.class,
        () -> fail.step(8, params, grads[3].clone(), Double.POSITIVE_INFINITY));
    assertTrue(e.getMessage().startsWith("non-finite loss at step 8: Infinity"));

    // the bare optimizer refuses too, counting its own steps
    e = assertThrows(
        NonFiniteGradientException.class, () -> opt.step(params, bad, config.lr(), 0.5));
    assertEquals(4, e.step());
    assertArrayEquals(paramsBefore, params);
    assertEquals(stateBefore, opt.exportState());
    assertEquals(3, opt.steps());

    // and a finite step goes on from where it was
    assertTrue(skip.step(9, params, grads[3].clone(), 0.4).applied());
    assertEquals(4, opt.steps());
  }

  @Test
  void stepUsesTheScheduleAndClipping() {
    // sgd, base lr 0.1 with warm-up over 2 steps: step 1 uses lr 0.1·1/2 = 0.05;
    // grad (30, 40) has norm 50 > 1: scaled by 1/(50 + 1e-6), i.e. to about (0.6, 0.8)
    Optimizer opt = SgdConfig.builder().lr(0.1).build().create(2);
    List<String> problems = new ArrayList<>();
    LrSchedule unbound =
        LrSchedule.fromConfig(ConfigFactory.parseString("type = warmup, warmup_steps = 2"), 0,
            problems);
    GuardedOptimizer g =
        new GuardedOptimizer(
            opt, unbound, GradientClipping.byNorm(1), NonFiniteGradientPolicy.FAIL);
    assertEquals(0.1, g.schedule().baseLr());
    float[] p = {0f, 0f};
    GuardedOptimizer.StepOutcome out = g.step(1, p, new float[] {30f, 40f}, 1.0);
    assertTrue(out.applied());
    assertTrue(out.clipped());
    assertEquals(0.05, out.lr());
    assertEquals(50.0, out.gradNorm(), 1e-12);
    double scale = 1 / (50 + 1e-6);
    Fixtures.assertNear(-0.05 * (float) (30 * scale), p[0], "p0");
    Fixtures.assertNear(-0.05 * (float) (40 * scale), p[1], "p1");
  }

  @Test
  void rpropAcceptsOnlyAConstantSchedule() {
    Optimizer opt = RpropConfig.builder(RpropConfig.Variant.IRPROP_MINUS).build().create(3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new GuardedOptimizer(
                    opt, LrSchedule.cosine(0.01, 100, 0), GradientClipping.none(),
                    NonFiniteGradientPolicy.FAIL));
    assertTrue(
        e.getMessage().startsWith("lr_schedule.type: irprop-minus adapts its own step sizes"),
        e.getMessage());
    new GuardedOptimizer(
        opt, LrSchedule.constant(0.01), GradientClipping.none(), NonFiniteGradientPolicy.FAIL);
  }

  @Test
  void irpropPlusNeedsTheLoss() {
    Optimizer opt = RpropConfig.builder(RpropConfig.Variant.IRPROP_PLUS).build().create(2);
    float[] p = {1f, 1f};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> opt.step(p, new float[] {1f, 1f}));
    assertTrue(e.getMessage().contains("needs the current loss"));
    assertEquals(0, opt.steps());
    assertArrayEquals(new float[] {1f, 1f}, p);
  }

  @Test
  void badArgumentsAreRejectedBeforeAnyWrite() {
    Optimizer opt = AdamConfig.adam().build().create(3);
    float[] p = {1f, 2f, 3f};
    assertThrows(IllegalArgumentException.class, () -> opt.step(p, new float[2]));
    assertThrows(IllegalArgumentException.class, () -> opt.step(new float[4], new float[3]));
    assertThrows(
        IllegalArgumentException.class, () -> opt.step(p, new float[] {1, 1, 1}, -0.1, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> opt.step(p, new float[] {1, 1, 1}, Double.NaN, 0));
    assertArrayEquals(new float[] {1f, 2f, 3f}, p);
    assertEquals(0, opt.steps());
  }
}
