package org.sparkprop.driver.optim;

/** The state and update of {@link RmsPropConfig}. */
final class RmsPropOptimizer extends AbstractOptimizer {

  private final RmsPropConfig config;
  private final float[] squareAvg;
  private final float[] gradAvg;
  private final float[] buffer;

  RmsPropOptimizer(RmsPropConfig config, int numParams, boolean[] decayMask) {
    super(numParams, decayMask);
    this.config = config;
    this.squareAvg = stateArray("square_avg");
    this.gradAvg = config.centered() ? stateArray("grad_avg") : null;
    this.buffer = config.momentum() > 0 ? stateArray("momentum_buffer") : null;
  }

  @Override
  public RmsPropConfig config() {
    return config;
  }

  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double wd = config.weightDecay();
    double alpha = config.alpha();
    double eps = config.eps();
    double mu = config.momentum();
    forEachRange((from, to) -> {
      for (int i = from; i < to; i++) {
        double g = grad[i];
        if (wd != 0 && decays(i)) {
          g += wd * params[i];
        }
        double v = alpha * squareAvg[i] + (1 - alpha) * g * g;
        squareAvg[i] = (float) v;
        double denom;
        if (gradAvg != null) {
          double a = alpha * gradAvg[i] + (1 - alpha) * g;
          gradAvg[i] = (float) a;
          denom = Math.sqrt(Math.max(v - a * a, 0)) + eps;
        } else {
          denom = Math.sqrt(v) + eps;
        }
        double d = g / denom;
        if (buffer != null) {
          d = mu * buffer[i] + d;
          buffer[i] = (float) d;
        }
        params[i] = (float) (params[i] - lr * d);
      }
    });
  }
}
