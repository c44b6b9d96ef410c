package org.sparkprop.driver.optim;

/** The state and update of {@link SgdConfig}: an optional momentum buffer. */
final class SgdOptimizer extends AbstractOptimizer {

  private final SgdConfig config;
  private final float[] buffer;

  SgdOptimizer(SgdConfig config, int numParams, boolean[] decayMask) {
    super(numParams, decayMask);
    this.config = config;
    this.buffer = config.momentum() > 0 ? stateArray("momentum_buffer") : null;
  }

  @Override
  public SgdConfig config() {
    return config;
  }

  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double wd = config.weightDecay();
    double mu = config.momentum();
    double keep = 1 - config.dampening();
    boolean nesterov = config.nesterov();
    boolean first = t == 1;
    forEachRange((from, to) -> {
      for (int i = from; i < to; i++) {
        double g = grad[i];
        if (wd != 0 && decays(i)) {
          g += wd * params[i];
        }
        double d = g;
        if (buffer != null) {
          double b = first ? g : mu * buffer[i] + keep * g;
          buffer[i] = (float) b;
          d = nesterov ? g + mu * b : b;
        }
        params[i] = (float) (params[i] - lr * d);
      }
    });
  }
}
