package org.sparkprop.driver.optim;

import static org.sparkprop.driver.optim.Fixtures.assertNear;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed values of the first steps, with the arithmetic in the comments. Gradients are
 * given (they do not depend on θ), θ₀ = 1 unless said otherwise. Tolerance: 1e-6 relative (the
 * results are float32).
 */
class GoldenValuesTest {

  /** Runs {@code grads.length} one-parameter steps and returns θ after each. */
  private static double[] run(OptimizerConfig c, double theta0, double[] grads, double[] losses) {
    Optimizer opt = c.create(1);
    float[] p = {(float) theta0};
    double[] out = new double[grads.length];
    for (int t = 0; t < grads.length; t++) {
      opt.step(p, new float[] {(float) grads[t]}, c.lr(), losses == null ? Double.NaN : losses[t]);
      out[t] = p[0];
    }
    return out;
  }

  @Test
  void sgdNesterov() {
    // lr = 0.1, momentum μ = 0.9, nesterov; g = 1, 0.5, −1
    // t=1: b = g = 1 (no dampening on step 1);  d = g + μb = 1 + 0.9 = 1.9;  θ = 1 − 0.19 = 0.81
    // t=2: b = 0.9·1 + 0.5 = 1.4;  d = 0.5 + 0.9·1.4 = 1.76;  θ = 0.81 − 0.176 = 0.634
    // t=3: b = 0.9·1.4 − 1 = 0.26;  d = −1 + 0.9·0.26 = −0.766;  θ = 0.634 + 0.0766 = 0.7106
    SgdConfig c = SgdConfig.builder().lr(0.1).momentum(0.9).nesterov(true).build();
    double[] theta = run(c, 1, new double[] {1, 0.5, -1}, null);
    assertNear(0.81, theta[0], "t=1");
    assertNear(0.634, theta[1], "t=2");
    assertNear(0.7106, theta[2], "t=3");

    Optimizer opt = c.create(1);
    float[] p = {1f};
    opt.step(p, new float[] {1f});
    opt.step(p, new float[] {0.5f});
    assertNear(1.4, opt.exportState().array("momentum_buffer")[0], "buffer after t=2");
  }

  @Test
  void sgdMomentumDampeningWeightDecay() {
    // lr = 0.1, μ = 0.5, dampening τ = 0.5, weight_decay = 0.1; θ₀ = 2; g = 1, 1
    // t=1: g = 1 + 0.1·2 = 1.2;  b = 1.2 (step 1: no dampening);  θ = 2 − 0.12 = 1.88
    // t=2: g = 1 + 0.1·1.88 = 1.188;  b = 0.5·1.2 + 0.5·1.188 = 1.194;  θ = 1.88 − 0.1194 = 1.7606
    SgdConfig c =
        SgdConfig.builder().lr(0.1).momentum(0.5).dampening(0.5).weightDecay(0.1).build();
    double[] theta = run(c, 2, new double[] {1, 1}, null);
    assertNear(1.88, theta[0], "t=1");
    assertNear(1.7606, theta[1], "t=2");
  }

  @Test
  void rmspropCenteredWithMomentum() {
    // lr = 0.01, alpha = 0.9, momentum μ = 0.5, eps = 1e-8, centered; g = 1, −0.5, 2
    // t=1: v = 0.1·1 = 0.1;  ḡ = 0.1·1 = 0.1;  v − ḡ² = 0.09;  d = √0.09 + 1e-8 = 0.30000001
    //      b = 1/0.30000001 = 3.3333332222;  θ = 1 − 0.01·3.3333332222 = 0.96666666778
    // t=2: v = 0.9·0.1 + 0.1·0.25 = 0.115;  ḡ = 0.9·0.1 + 0.1·(−0.5) = 0.04
    //      v − ḡ² = 0.115 − 0.0016 = 0.1134;  d = √0.1134 + 1e-8 = 0.33674917481
    //      g/d = −0.5/0.33674917481 = −1.4847846332;  b = 0.5·3.3333332222 − 1.4847846332
    //        = 0.18188197791;  θ = 0.96666666778 − 0.0018188197791 = 0.96484784800
    // t=3: v = 0.9·0.115 + 0.1·4 = 0.5035;  ḡ = 0.9·0.04 + 0.1·2 = 0.236
    //      v − ḡ² = 0.5035 − 0.055696 = 0.447804;  d = √0.447804 + 1e-8 = 0.66918159970
    //      g/d = 2/0.66918159970 = 2.9887253339;  b = 0.5·0.18188197791 + 2.9887253339
    //        = 3.0796663228;  θ = 0.96484784800 − 0.030796663228 = 0.93405118477
    RmsPropConfig c =
        RmsPropConfig.builder().lr(0.01).alpha(0.9).momentum(0.5).centered(true).build();
    double[] theta = run(c, 1, new double[] {1, -0.5, 2}, null);
    assertNear(0.96666666778, theta[0], "t=1");
    assertNear(0.96484784800, theta[1], "t=2");
    assertNear(0.93405118477, theta[2], "t=3");
  }

  @Test
  void adamwSmallDecayIsRoundedOnceNotQuantised() {
    // lr·wd = 1e-3 · 1e-4 = 1e-7, g = 0 (so m = v = 0 and the Adam term is 0/eps = 0), θ₀ = 1.5.
    // θ = 1.5·(1 − 1e-7) = 1.49999985 → nearest float 1.49999988 (floats near 1.5 are 1.19e-7
    // apart). Rounding the factor first, (float) (1 − 1e-7) = 1 − 1.19e-7, would give 1.5 − 1.79e-7
    // → 1.49999976, a decay 2x too strong; at lr·wd < 3e-8 the factor would round to 1: no decay.
    Optimizer opt = AdamConfig.adamw().lr(1e-3).weightDecay(1e-4).build().create(1);
    float[] p = {1.5f};
    opt.step(p, new float[] {0f});
    org.junit.jupiter.api.Assertions.assertEquals((float) (1.5 * (1 - 1e-7)), p[0]);
    org.junit.jupiter.api.Assertions.assertEquals(1.49999988f, p[0]);
  }

  @Test
  void adamTinyEpsDoesNotMakeNaNWhereTheGradientWasAlwaysZero() {
    Optimizer opt = AdamConfig.adam().eps(1e-50).build().create(2);
    float[] p = {1f, 2f};
    opt.step(p, new float[] {0f, 1f});
    org.junit.jupiter.api.Assertions.assertEquals(1f, p[0]);
    org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(p[1]));
  }

  @Test
  void adamWithBeta1ZeroKeepsExactlyTheLastGradient() {
    // β1 = 0: m = 0·m + 1·g = g, with no rounding at all, however large the old m was
    Optimizer opt = AdamConfig.adam().betas(0, 0.5).build().create(3);
    float[] p = {0f, 0f, 0f};
    float[][] grads = {{1.5f, -2e6f, 3e-30f}, {-0.042271227f, 7f, -1e-3f}, {1e-7f, 0f, 123.456f}};
    for (float[] g : grads) {
      opt.step(p, g.clone());
      org.junit.jupiter.api.Assertions.assertArrayEquals(g, opt.exportState().array("exp_avg"));
    }
  }

  @Test
  void adamAmsgrad() {
    // lr = 0.1, betas = (0.5, 0.75), eps = 1e-8, amsgrad; g = 1, 0.25, −1
    // t=1: m = 0.5·1 = 0.5;  v = 0.25·1 = 0.25;  v̂ = max(0, 0.25) = 0.25
    //      bc1 = 0.5, bc2 = 0.25;  denom = √0.25/√0.25 + 1e-8 = 1.00000001
    //      θ = 1 − (0.1/0.5)·0.5/1.00000001 = 1 − 0.099999999 = 0.900000001
    // t=2: m = 0.25 + 0.125 = 0.375;  v = 0.75·0.25 + 0.25·0.0625 = 0.203125
    //      v̂ = max(0.25, 0.203125) = 0.25 (the max of the raw v, before bias correction)
    //      bc1 = 0.75, bc2 = 1 − 0.5625 = 0.4375;  denom = 0.5/√0.4375 + 1e-8 = 0.75592895602
    //      θ = 0.900000001 − (0.1/0.75)·0.375/0.75592895602 = 0.900000001 − 0.066143781902
    //        = 0.83385621910
    // t=3: m = 0.1875 − 0.5 = −0.3125;  v = 0.75·0.203125 + 0.25·1 = 0.40234375 = v̂
    //      bc1 = 0.875, bc2 = 1 − 0.421875 = 0.578125
    //      denom = √0.40234375/√0.578125 + 1e-8 = 0.63430572282/0.76034531629 + 1e-8
    //        = 0.83423375779
    //      θ = 0.83385621910 + (0.1/0.875)·0.3125/0.83423375779 = 0.83385621910 + 0.042810885296
    //        = 0.87666710439
    AdamConfig c = AdamConfig.adam().lr(0.1).betas(0.5, 0.75).amsgrad(true).build();
    double[] theta = run(c, 1, new double[] {1, 0.25, -1}, null);
    assertNear(0.900000001, theta[0], "t=1");
    assertNear(0.83385621910, theta[1], "t=2");
    assertNear(0.87666710439, theta[2], "t=3");

    // without amsgrad, t=2 uses v = 0.203125: denom = √0.203125/√0.4375 + 1e-8 = 0.68138514...
    double[] plain =
        run(c.toBuilder().amsgrad(false).build(), 1, new double[] {1, 0.25, -1}, null);
    double denom = Math.sqrt(0.203125) / Math.sqrt(0.4375) + 1e-8;
    assertNear(0.900000001 - (0.1 / 0.75) * 0.375 / denom, plain[1], "t=2 without amsgrad");
  }

  @Test
  void adamwDecoupledDecayAndMask() {
    // lr = 0.1, betas = (0.5, 0.75), weight_decay = 0.5 (decoupled), θ₀ = 2, g = 1, 1
    // A constant gradient makes the Adam part exactly lr·m̂/(√v̂ + eps) = 0.1/(1 + 1e-8):
    //   t=1: m̂ = 0.5/0.5 = 1, v̂ = 0.25/0.25 = 1;  t=2: m̂ = 0.75/0.75 = 1, v̂ = 0.4375/0.4375 = 1
    // decayed entry:   t=1: θ = 2·(1 − 0.1·0.5) − 0.1/(1+1e-8) = 1.9 − 0.099999999 = 1.800000001
    //                  t=2: θ = 1.800000001·0.95 − 0.099999999 = 1.710000001 − 0.099999999
    //                     = 1.610000002
    // masked entry:    t=1: θ = 2 − 0.099999999 = 1.900000001;  t=2: 1.800000002
    AdamConfig c = AdamConfig.adamw().lr(0.1).betas(0.5, 0.75).weightDecay(0.5).build();
    Optimizer opt = c.create(2, new boolean[] {true, false});
    float[] p = {2f, 2f};
    opt.step(p, new float[] {1f, 1f});
    assertNear(1.800000001, p[0], "decayed t=1");
    assertNear(1.900000001, p[1], "masked t=1");
    opt.step(p, new float[] {1f, 1f});
    assertNear(1.610000002, p[0], "decayed t=2");
    assertNear(1.800000002, p[1], "masked t=2");
  }

  // Rprop: Δ₀ = lr = 0.1, eta− = 0.5, eta+ = 1.2; g = +1, +2, −1, +1.
  // Steps 1 and 2 are the same for all variants:
  //   t=1: g'·g = 0·1 = 0  → Δ = 0.1 (unchanged);  Δw = −sign(1)·0.1 = −0.1;    θ = 0.9
  //   t=2: g'·g = 1·2 > 0  → Δ = 0.1·1.2 = 0.12;    Δw = −0.12;                 θ = 0.78
  // Step 3 brings the sign change (g'·g = 2·(−1) < 0): Δ = 0.12·0.5 = 0.06 for all, then:
  private static final double[] RPROP_GRADS = {1, 2, -1, 1};

  private static RpropConfig rprop(RpropConfig.Variant v) {
    return RpropConfig.builder(v).lr(0.1).build();
  }

  @Test
  void rpropPlus() {
    // t=3: backtrack θ −= Δw₂:  θ = 0.78 + 0.12 = 0.9;  g' = 0
    // t=4: g'·g = 0 → Δ = 0.06;  θ = 0.9 − 0.06 = 0.84
    double[] theta = run(rprop(RpropConfig.Variant.RPROP_PLUS), 1, RPROP_GRADS, null);
    assertNear(0.9, theta[0], "t=1");
    assertNear(0.78, theta[1], "t=2");
    assertNear(0.9, theta[2], "t=3");
    assertNear(0.84, theta[3], "t=4");
  }

  @Test
  void rpropMinus() {
    // t=3: no backtracking, step with the smaller Δ:  θ = 0.78 − sign(−1)·0.06 = 0.84;  g' = −1
    // t=4: g'·g = −1·1 < 0 → Δ = 0.06·0.5 = 0.03;  θ = 0.84 − 0.03 = 0.81
    double[] theta = run(rprop(RpropConfig.Variant.RPROP_MINUS), 1, RPROP_GRADS, null);
    assertNear(0.9, theta[0], "t=1");
    assertNear(0.78, theta[1], "t=2");
    assertNear(0.84, theta[2], "t=3");
    assertNear(0.81, theta[3], "t=4");
  }

  @Test
  void irpropMinus() {
    // t=3: the gradient is zeroed: θ stays 0.78;  g' = 0
    // t=4: g'·g = 0 → Δ = 0.06;  θ = 0.78 − 0.06 = 0.72
    double[] theta = run(rprop(RpropConfig.Variant.IRPROP_MINUS), 1, RPROP_GRADS, null);
    assertNear(0.9, theta[0], "t=1");
    assertNear(0.78, theta[1], "t=2");
    assertNear(0.78, theta[2], "t=3");
    assertNear(0.72, theta[3], "t=4");
  }

  @Test
  void irpropPlusBacktracksOnlyWhenTheLossWentUp() {
    // losses 1.0, 0.8, 0.9 (up at t=3): backtrack as Rprop+: θ = 0.9, then 0.84
    double[] up =
        run(rprop(RpropConfig.Variant.IRPROP_PLUS), 1, RPROP_GRADS,
            new double[] {1.0, 0.8, 0.9, 0.7});
    assertNear(0.9, up[2], "t=3, loss went up");
    assertNear(0.84, up[3], "t=4, loss went up");
    // losses 1.0, 0.8, 0.7 (down at t=3): no backtracking, as iRprop−: θ = 0.78, then 0.72
    double[] down =
        run(rprop(RpropConfig.Variant.IRPROP_PLUS), 1, RPROP_GRADS,
            new double[] {1.0, 0.8, 0.7, 0.6});
    assertNear(0.78, down[2], "t=3, loss went down");
    assertNear(0.72, down[3], "t=4, loss went down");
  }

  @Test
  void rpropStepSizesAreClamped() {
    // step_sizes = [0.04, 0.11]: t=2: Δ = min(0.1·1.2, 0.11) = 0.11;  θ = 0.9 − 0.11 = 0.79
    //   t=3 (Rprop−): Δ = max(0.11·0.5, 0.04) = 0.055;  θ = 0.79 + 0.055 = 0.845
    //   t=4: Δ = max(0.055·0.5, 0.04) = 0.04;  θ = 0.845 − 0.04 = 0.805
    RpropConfig c =
        RpropConfig.builder(RpropConfig.Variant.RPROP_MINUS).lr(0.1).stepSizes(0.04, 0.11).build();
    double[] theta = run(c, 1, RPROP_GRADS, null);
    assertNear(0.79, theta[1], "t=2");
    assertNear(0.845, theta[2], "t=3");
    assertNear(0.805, theta[3], "t=4");
  }

  @Test
  void signAndSignum() {
    // sign, lr = 0.1: θ = 1 − 0.1·sign(−3) = 1.1;  then g = 0: sign(0) = 0, θ stays 1.1
    double[] sign = run(SignConfig.sign().lr(0.1).build(), 1, new double[] {-3, 0}, null);
    assertNear(1.1, sign[0], "sign t=1");
    assertNear(1.1, sign[1], "sign t=2");
    // signum, lr = 0.1, μ = 0.9: t=1: b = 0.1·(−3) = −0.3 → θ = 1.1
    //   t=2: g = 1: b = 0.9·(−0.3) + 0.1·1 = −0.17 → still negative → θ = 1.2
    //   t=3: g = 2: b = 0.9·(−0.17) + 0.2 = 0.047 → positive → θ = 1.1
    double[] signum =
        run(SignConfig.signum().lr(0.1).build(), 1, new double[] {-3, 1, 2}, null);
    assertNear(1.1, signum[0], "signum t=1");
    assertNear(1.2, signum[1], "signum t=2");
    assertNear(1.1, signum[2], "signum t=3");
  }

  @Test
  void adagradWithLrDecay() {
    // lr = 0.1, lr_decay = 0.5, initial_accumulator_value = 0, eps = 1e-10; g = 2, 1
    // t=1: lr₁ = 0.1;  s = 4;  θ = 1 − 0.1·2/(2 + 1e-10) = 0.9 (+5e-12)
    // t=2: lr₂ = 0.1/(1 + 0.5) = 0.0666667;  s = 5;  θ = 0.9 − 0.0666667·1/2.2360680 = 0.87018576
    AdagradConfig c = AdagradConfig.builder().lr(0.1).lrDecay(0.5).build();
    double[] theta = run(c, 1, new double[] {2, 1}, null);
    assertNear(0.9, theta[0], "t=1");
    assertNear(0.9 - (0.1 / 1.5) / Math.sqrt(5), theta[1], "t=2");
  }
}
