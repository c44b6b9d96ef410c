package org.sparkprop.driver.optim;

/**
 * The state and update of {@link LambConfig}. Two passes per tensor: the moments and the norms
 * of θ and of the Adam direction u (summed in double, in index order: the same bits every run),
 * then the step; u is recomputed in the second pass from the stored moments by the same double
 * expression, so no value is rounded twice.
 */
final class LambOptimizer extends AbstractOptimizer {
  private final LambConfig config;
  private final Tensors tensors;
  private final float[] expAvg;
  private final float[] expAvgSq;

  LambOptimizer(LambConfig config, int numParams, Tensors tensors) {
    super(numParams, null);
    if (tensors.numParams() != numParams) {
      throw new IllegalArgumentException("the tensors cover " + tensors.numParams()
          + " parameters, expected " + numParams);
    }
    this.config = config;
    this.tensors = tensors;
    this.expAvg = stateArray("exp_avg");
    this.expAvgSq = stateArray("exp_avg_sq");
  }

  @Override
  public LambConfig config() {
    return config;
  }

  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double b1 = config.beta1();
    double b2 = config.beta2();
    double bc1 = 1 - Math.pow(b1, t);
    double bc2 = 1 - Math.pow(b2, t);
    for (int k = 0; k < tensors.count(); k++) {
      int from = tensors.starts()[k];
      int to = tensors.starts()[k + 1];
      boolean bias = tensors.bias()[k];
      double wd = bias ? 0 : config.weightDecay();
      double thetaSq = 0;
      double uSq = 0;
      for (int i = from; i < to; i++) {
        double g = grad[i];
        expAvg[i] = (float) (b1 * expAvg[i] + (1 - b1) * g);
        expAvgSq[i] = (float) (b2 * expAvgSq[i] + (1 - b2) * g * g);
        double u = direction(i, bc1, bc2, wd, params[i]);
        thetaSq += (double) params[i] * params[i];
        uSq += u * u;
      }
      double ratio = bias || thetaSq == 0 || uSq == 0 ? 1 : Math.sqrt(thetaSq) / Math.sqrt(uSq);
      double step = lr * ratio;
      for (int i = from; i < to; i++) {
        params[i] = (float) (params[i] - step * direction(i, bc1, bc2, wd, params[i]));
      }
    }
  }

  /** u of entry i: the bias-corrected Adam direction plus the decay term. */
  private double direction(int i, double bc1, double bc2, double wd, float theta) {
    return (expAvg[i] / bc1) / (Math.sqrt(expAvgSq[i] / bc2) + config.eps()) + wd * theta;
  }
}
