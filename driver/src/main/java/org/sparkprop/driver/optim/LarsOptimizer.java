package org.sparkprop.driver.optim;

/**
 * The state and update of {@link LarsConfig}: per tensor, the norms of θ and g (summed in double,
 * in index order: the same bits every run), then the momentum and parameter update.
 */
final class LarsOptimizer extends AbstractOptimizer {
  private final LarsConfig config;
  private final Tensors tensors;
  private final float[] buffer;

  LarsOptimizer(LarsConfig config, int numParams, Tensors tensors) {
    super(numParams, null);
    if (tensors.numParams() != numParams) {
      throw new IllegalArgumentException("the tensors cover " + tensors.numParams()
          + " parameters, expected " + numParams);
    }
    this.config = config;
    this.tensors = tensors;
    this.buffer = stateArray("momentum_buffer");
  }

  @Override
  public LarsConfig config() {
    return config;
  }

  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double mu = config.momentum();
    for (int k = 0; k < tensors.count(); k++) {
      int from = tensors.starts()[k];
      int to = tensors.starts()[k + 1];
      boolean bias = tensors.bias()[k];
      double wd = bias ? 0 : config.weightDecay();
      double local = 1;
      if (!bias) {
        double thetaSq = 0;
        double gSq = 0;
        for (int i = from; i < to; i++) {
          thetaSq += (double) params[i] * params[i];
          gSq += (double) grad[i] * grad[i];
        }
        double theta = Math.sqrt(thetaSq);
        double g = Math.sqrt(gSq);
        local = theta == 0 || g == 0 ? 1
            : config.trustCoefficient() * theta / (g + wd * theta);
      }
      double rate = lr * local;
      for (int i = from; i < to; i++) {
        double v = mu * buffer[i] + rate * (grad[i] + wd * params[i]);
        buffer[i] = (float) v;
        params[i] = (float) (params[i] - v);
      }
    }
  }
}
