package org.sparkprop.driver.optim;

import java.util.Arrays;

/** The state and update of {@link AdagradConfig}: the running sum of squared gradients. */
final class AdagradOptimizer extends AbstractOptimizer {

  private final AdagradConfig config;
  private final float[] sum;

  AdagradOptimizer(AdagradConfig config, int numParams, boolean[] decayMask) {
    super(numParams, decayMask);
    this.config = config;
    this.sum = stateArray("sum");
    Arrays.fill(sum, (float) config.initialAccumulatorValue());
  }

  @Override
  public AdagradConfig config() {
    return config;
  }

  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double wd = config.weightDecay();
    double eps = config.eps();
    double clr = lr / (1 + (t - 1) * config.lrDecay());
    forEachRange((from, to) -> {
      for (int i = from; i < to; i++) {
        double g = grad[i];
        if (wd != 0 && decays(i)) {
          g += wd * params[i];
        }
        double s = sum[i] + g * g;
        sum[i] = (float) s;
        params[i] = (float) (params[i] - clr * g / (Math.sqrt(s) + eps));
      }
    });
  }
}
