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

  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double b1 = config.beta1();
    double b2 = config.beta2();
    double eps = config.eps();
    boolean decoupled = config.weightDecayMode() == AdamConfig.WeightDecay.DECOUPLED;
    double wd = config.weightDecay();
    double coupledWd = decoupled ? 0 : wd;
    double shrink = decoupled ? 1 - lr * wd : 1;
    double stepSize = lr / (1 - Math.pow(b1, t));
    double sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
    forEachRange((from, to) -> {
      for (int i = from; i < to; i++) {
        boolean decayed = decays(i);
        double theta = params[i];
        double g = grad[i];
        if (decayed) {
          theta *= shrink;
          g += coupledWd * params[i];
        }
        double m = b1 * expAvg[i] + (1 - b1) * g;
        double v = b2 * expAvgSq[i] + (1 - b2) * g * g;
        expAvg[i] = (float) m;
        expAvgSq[i] = (float) v;
        if (maxExpAvgSq != null) {
          v = Math.max(maxExpAvgSq[i], v);
          maxExpAvgSq[i] = (float) v;
        }
        params[i] = (float) (theta - stepSize * m / (Math.sqrt(v) / sqrtBc2 + eps));
      }
    });
  }
}
