package org.sparkprop.driver.optim;

/** The state and update of {@link SignConfig}: a momentum buffer for signum. */
final class SignOptimizer extends AbstractOptimizer {

  private final SignConfig config;
  private final float[] buffer;

  SignOptimizer(SignConfig config, int numParams, boolean[] decayMask) {
    super(numParams, decayMask);
    this.config = config;
    this.buffer =
        config.variant() == SignConfig.Variant.SIGNUM ? stateArray("momentum_buffer") : null;
  }

  @Override
  public SignConfig config() {
    return config;
  }

  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double wd = config.weightDecay();
    double mu = config.momentum();
    forEachRange((from, to) -> {
      for (int i = from; i < to; i++) {
        double g = grad[i];
        if (wd != 0 && decays(i)) {
          g += wd * params[i];
        }
        if (buffer != null) {
          g = mu * buffer[i] + (1 - mu) * g;
          buffer[i] = (float) g;
        }
        params[i] = (float) (params[i] - lr * Math.signum(g));
      }
    });
  }
}
