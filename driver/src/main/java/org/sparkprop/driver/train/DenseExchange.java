package org.sparkprop.driver.train;

import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.sign.StateRef;
import org.sparkprop.driver.optim.GuardedOptimizer;

/** 32-bit exchange: the mean of every partition's summed gradient feeds the optimizer. */
final class DenseExchange implements Exchange {
  private final StepRunner runner;
  private final GuardedOptimizer optimizer;
  private final float[] grad;

  DenseExchange(StepRunner runner, GuardedOptimizer optimizer, int numParams) {
    this.runner = runner;
    this.optimizer = optimizer;
    this.grad = new float[numParams];
  }

  @Override
  public StepReport step(long step, float[] params) {
    GradientPayload payload = runner.gradient(step, params);
    payload.meanGradient(grad);
    double loss = payload.meanLoss();
    GuardedOptimizer.StepOutcome outcome = optimizer.step(step + 1, params, grad, loss);
    return new StepReport(loss, payload.count(), outcome.lr(), outcome.applied(),
        outcome.gradNorm(), payload.computeNanos(), runner.lastReduceNanos, 0);
  }

  @Override
  public long skippedSteps() {
    return optimizer.skippedSteps();
  }

  @Override
  public ExchangeState exportState() {
    return ExchangeState.none();
  }

  @Override
  public void importState(ExchangeState state) {
    if (!state.arrays().isEmpty() || !state.counters().isEmpty()) {
      throw new IllegalArgumentException("the exchange state " + state.counters().keySet()
          + " is not a dense exchange's (which has none)");
    }
  }

  @Override
  public long executorStateStep() {
    return StateRef.NONE;
  }
}
