package org.sparkprop.driver.optim;

/** The state and update of {@link AdamConfig}: first and second moments, optionally their max. */
final class AdamOptimizer extends AbstractOptimizer {

  private final AdamConfig config;
  private final float[] expAvg;
  private final float[] expAvgSq;
  private final float[] maxExpAvgSq;

  AdamOptimizer(AdamConfig config, int numParams, boolean[] decayMask) {
    super(numParams, decayMask);
    this.config = config;
    this.expAvg = stateArray("exp_avg");
    this.expAvgSq = stateArray("exp_avg_sq");
    this.maxExpAvgSq = config.amsgrad() ? stateArray("max_exp_avg_sq") : null;
  }

  @Override
  public AdamConfig config() {
    return config;
  }

  /**
   * Two float32 passes per chunk (three with amsgrad), vectorised by C2 when no decay mask is
   * set.
   *
   * <p>The moments are the published {@code β·m + (1-β)·g} and {@code β·v + (1-β)·g·g} in
   * float32: the gradient term's products, then one fused multiply-add that adds β·m (β·v), β
   * and 1-β rounded to float once per step. The error is a few ulps of the larger term (the
   * rounded coefficients are within 3e-8 of β and 1-β); where β·m and (1-β)·g nearly cancel,
   * that is many ulps of the small result, as in any float32 Adam. β1 = 0 keeps exactly g.
   * {@code ((1-β2)·g)·g} overflows only where v itself would. Coupled weight decay adds
   * {@code wd·θ} to g in one rounding.
   *
   * <p>The parameter pass, with the square root and the division, is {@code θ + (−lr/(1 − β1^t))
   * · m / (sqrt(v̂)·(1/sqrt(1 − β2^t)) + eps)}, scalars rounded once per step, {@link Math#fma}
   * where two roundings would be one. Java evaluates float expressions exactly as written, so
   * the bits are the same vectorised, interpreted and in any chunking.
   *
   * <p>JMH {@code OptimizerBench.adamStep} (203,530 entries, 2 threads), the two versions
   * alternating in one session: 863–868 µs with the moments in double (a loop that mixes float
   * and double runs scalar in C2, JDK 17), 154–163 µs in float32.
   */
  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double b1 = config.beta1();
    double b2 = config.beta2();
    boolean decoupled = config.weightDecayMode() == AdamConfig.WeightDecay.DECOUPLED;
    double wd = config.weightDecay();
    float coupledWd = decoupled ? 0 : (float) wd;
    // θ − (lr·wd)·θ with one rounding: (float) (1 − lr·wd) would round a small decay to 1.0f
    float lrWd = (float) (decoupled ? lr * wd : 0);
    float negStepSize = (float) (-lr / (1 - Math.pow(b1, t)));
    float invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(b2, t)));
    float beta1 = (float) b1;
    float rate1 = (float) (1 - b1);
    float beta2 = (float) b2;
    float rate2 = (float) (1 - b2);
    // an eps below float's smallest value would round to 0 and make 0/0 where m = v = 0
    float eps = Math.max((float) config.eps(), Float.MIN_VALUE);
    float[] m = expAvg;
    float[] v = expAvgSq;
    float[] vMax = maxExpAvgSq;
    float[] second = vMax != null ? vMax : v;
    boolean[] mask = decayMask();
    forEachRange((from, to) -> {
      if (coupledWd == 0) {
        for (int i = from; i < to; i++) {
          float g = grad[i];
          m[i] = Math.fma(beta1, m[i], rate1 * g);
          v[i] = Math.fma(beta2, v[i], (rate2 * g) * g);
        }
      } else {
        for (int i = from; i < to; i++) {
          float g = mask == null || mask[i] ? Math.fma(coupledWd, params[i], grad[i]) : grad[i];
          m[i] = Math.fma(beta1, m[i], rate1 * g);
          v[i] = Math.fma(beta2, v[i], (rate2 * g) * g);
        }
      }
      if (vMax != null) {
        for (int i = from; i < to; i++) {
          vMax[i] = Math.max(vMax[i], v[i]);
        }
      }
      for (int i = from; i < to; i++) {
        float p = params[i];
        float theta = mask == null || mask[i] ? Math.fma(-lrWd, p, p) : p;
        float denom = Math.fma((float) Math.sqrt(second[i]), invSqrtBc2, eps);
        params[i] = Math.fma(negStepSize, m[i] / denom, theta);
      }
    });
  }
}
