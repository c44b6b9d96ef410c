package org.sparkprop.driver.train;

/**
 * One training step as an exchange mode does it: gradients from every partition reach the
 * driver (dense or sign-compressed) and the parameters are updated in place.
 */
interface Exchange {

  /** What one step did. */
  record StepReport(double loss, long count, double lr, boolean applied, double gradNorm,
      long computeNanos, long reduceNanos, int stateRestarts) {}

  /**
   * Runs step {@code step} (0-based) at {@code params}, updating them in place.
   *
   * @throws org.sparkprop.driver.optim.NonFiniteGradientException on a NaN/Inf loss or
   *     gradient with {@code gradient.on_non_finite = fail}; params untouched
   */
  StepReport step(long step, float[] params);

  /** Steps skipped so far for a non-finite loss or gradient. */
  long skippedSteps();

  /** The driver-side state, for a checkpoint. */
  ExchangeState exportState();

  /**
   * Continues from an exported state (before the first step).
   *
   * @throws IllegalArgumentException if the state is not one this mode exported for this model
   */
  void importState(ExchangeState state);

  /**
   * The step whose executor state the next step continues from, or {@link
   * org.sparkprop.core.exchange.sign.StateRef#NONE} when the next step needs none.
   */
  long executorStateStep();
}
