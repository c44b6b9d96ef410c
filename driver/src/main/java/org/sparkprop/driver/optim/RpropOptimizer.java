package org.sparkprop.driver.optim;

import java.util.Arrays;
import java.util.Map;

/** The state and update of the four {@link RpropConfig} variants. */
final class RpropOptimizer extends AbstractOptimizer {

  private final RpropConfig config;
  private final RpropConfig.Variant variant;
  private final float[] prevGrad;
  private final float[] stepSize;
  private final float[] prevDelta;
  private double prevLoss = Double.NaN;

  RpropOptimizer(RpropConfig config, int numParams, boolean[] decayMask) {
    super(numParams, decayMask);
    this.config = config;
    this.variant = config.variant();
    this.prevGrad = stateArray("prev_grad");
    this.stepSize = stateArray("step_size");
    Arrays.fill(stepSize, (float) config.lr());
    this.prevDelta = variant.backtracks() ? stateArray("prev_delta") : null;
  }

  @Override
  public RpropConfig config() {
    return config;
  }

  @Override
  protected Map<String, Double> scalars() {
    return variant == RpropConfig.Variant.IRPROP_PLUS ? Map.of("prev_loss", prevLoss) : Map.of();
  }

  @Override
  protected void importScalars(Map<String, Double> scalars) {
    if (variant == RpropConfig.Variant.IRPROP_PLUS) {
      prevLoss = scalars.get("prev_loss");
    }
  }

  @Override
  protected void checkStep(double loss) {
    if (variant != RpropConfig.Variant.IRPROP_PLUS) {
      return;
    }
    if (Double.isNaN(loss)) {
      throw new IllegalArgumentException(
          "irprop-plus backtracks only when the loss went up, so it needs the current loss: call"
              + " step(params, grad, lr, loss) with the mean loss (got NaN)");
    }
    if (Double.isInfinite(loss)) {
      throw NonFiniteGradientException.loss(steps() + 1, loss);
    }
  }

  @Override
  protected void update(float[] params, float[] grad, double lr, double loss, long t) {
    double wd = config.weightDecay();
    double etaMinus = config.etaMinus();
    double etaPlus = config.etaPlus();
    double minStep = config.minStep();
    double maxStep = config.maxStep();
    boolean backtrack = variant == RpropConfig.Variant.RPROP_PLUS;
    if (variant == RpropConfig.Variant.IRPROP_PLUS) {
      double objective = loss + penalty(params, wd);
      backtrack = objective > prevLoss;
      prevLoss = objective;
    }
    boolean undo = backtrack;
    forEachRange((from, to) -> {
      for (int i = from; i < to; i++) {
        double g0 = grad[i];
        if (wd != 0 && decays(i)) {
          g0 += wd * params[i];
        }
        float g = (float) g0;
        double product = (double) prevGrad[i] * g;
        double delta = stepSize[i];
        if (product > 0) {
          delta = Math.min(delta * etaPlus, maxStep);
        } else if (product < 0) {
          delta = Math.max(delta * etaMinus, minStep);
        }
        stepSize[i] = (float) delta;
        if (product < 0 && variant != RpropConfig.Variant.RPROP_MINUS) {
          prevGrad[i] = 0;
          if (prevDelta != null) {
            double applied = undo ? -prevDelta[i] : 0;
            params[i] = (float) (params[i] + applied);
            prevDelta[i] = (float) applied;
          }
        } else {
          double change = -Math.signum(g) * delta;
          params[i] = (float) (params[i] + change);
          prevGrad[i] = g;
          if (prevDelta != null) {
            prevDelta[i] = (float) change;
          }
        }
      }
    });
  }

  /** ½·wd·Σθ² over the decayed entries: the weight-decay part of the objective. */
  private double penalty(float[] params, double wd) {
    if (wd == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      if (decays(i)) {
        sum += (double) params[i] * params[i];
      }
    }
    return 0.5 * wd * sum;
  }
}
