package org.sparkprop.driver.train;

import org.sparkprop.core.exchange.sign.Segments;
import org.sparkprop.core.exchange.sign.SignAccumulator;
import org.sparkprop.core.exchange.sign.StateRef;
import org.sparkprop.driver.optim.GuardedOptimizer;

/**
 * {@code sign-ef} and {@code sign-majority}: partitions send signs; the driver decodes the mean
 * of the scaled signs (EF-signSGD) or the sign of the vote sum (majority, a tie giving 0) and
 * hands it to the configured optimizer as the step's gradient. For {@code sign-majority} that
 * optimizer is {@code sign}, so the update is {@code theta -= lr * sign(sum_p sign_p)}.
 *
 * <p>Executor state (residuals, Signum momenta) continues from the last applied step: a step
 * skipped for a non-finite gradient is rolled back on the executors too.
 */
final class SignExchange implements Exchange {
  private final StepRunner runner;
  private final GuardedOptimizer optimizer;
  private final boolean majority;
  private final boolean keepsExecutorState;
  private final SignAccumulator accumulator;
  private final float[] grad;
  /** Counter name of the step whose executor state the next step continues from. */
  static final String STATE_BASE = "state_base";
  private long stateBase = StateRef.NONE;

  /**
   * @param signMomentum sign-majority's local momentum (0: plain signSGD, which keeps no
   *     executor state)
   */
  SignExchange(StepRunner runner, GuardedOptimizer optimizer, ExchangeMode mode,
      Segments segments, double signMomentum) {
    this.runner = runner;
    this.optimizer = optimizer;
    this.majority = mode == ExchangeMode.SIGN_MAJORITY;
    this.keepsExecutorState = !majority || signMomentum > 0;
    this.accumulator = majority ? SignAccumulator.forVotes(segments.length())
        : SignAccumulator.forMean(segments);
    this.grad = new float[segments.length()];
  }

  @Override
  public StepReport step(long step, float[] params) {
    SignAccumulator acc = runner.signStep(step, params, null, stateBase, accumulator);
    if (majority) {
      acc.majoritySign(grad);
    } else {
      acc.meanDecoded(grad);
    }
    double loss = acc.meanLoss();
    GuardedOptimizer.StepOutcome outcome = optimizer.step(step + 1, params, grad, loss);
    if (outcome.applied()) {
      stateBase = step;
    }
    return new StepReport(loss, acc.count(), outcome.lr(), outcome.applied(), outcome.gradNorm(),
        acc.computeNanos(), runner.lastReduceNanos, acc.missingStates());
  }

  @Override
  public long skippedSteps() {
    return optimizer.skippedSteps();
  }

  @Override
  public ExchangeState exportState() {
    return new ExchangeState(java.util.Map.of(), java.util.Map.of(STATE_BASE, stateBase));
  }

  @Override
  public void importState(ExchangeState state) {
    stateBase = state.counter(STATE_BASE);
  }

  @Override
  public long executorStateStep() {
    return keepsExecutorState ? stateBase : StateRef.NONE;
  }
}
