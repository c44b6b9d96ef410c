package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * The driver's whole update for one training step, around an {@link Optimizer}: check the
 * gradient and loss for NaN/Inf, clip, take the learning rate from the schedule, step.
 *
 * <p>Call order, per training step t = 1, 2, ...: compute the mean gradient and mean loss at the
 * current parameters, then {@link #step(long, float[], float[], double)}. A non-finite gradient
 * or loss never reaches the optimizer: with {@link NonFiniteGradientPolicy#FAIL} the call throws
 * a {@link NonFiniteGradientException}, with {@link NonFiniteGradientPolicy#SKIP} it returns an
 * outcome with {@code applied = false} and counts the step in {@link #skippedSteps()}; either
 * way the parameters and the optimizer state are untouched. The schedule is queried with the
 * caller's step number t, so a skipped step still advances the schedule, while {@link
 * Optimizer#steps()} (bias corrections, Rprop's first step) counts applied steps only.
 */
public final class GuardedOptimizer {

  private final Optimizer optimizer;
  private final LrSchedule schedule;
  private final GradientClipping clipping;
  private final NonFiniteGradientPolicy policy;
  private long skipped;

  /**
   * @param schedule a schedule without a base lr ({@link LrSchedule#fromConfig(
   *     com.typesafe.config.Config, long, List)}) is bound to the optimizer's {@code lr}
   * @throws IllegalArgumentException if the schedule does not fit the optimizer (see {@link
   *     Optimizers#checkCombination})
   */
  public GuardedOptimizer(
      Optimizer optimizer,
      LrSchedule schedule,
      GradientClipping clipping,
      NonFiniteGradientPolicy policy) {
    this.optimizer = optimizer;
    this.schedule = schedule.isBound() ? schedule : schedule.withBaseLr(optimizer.config().lr());
    this.clipping = clipping;
    this.policy = policy;
    List<String> problems = new ArrayList<>();
    Optimizers.checkCombination(optimizer.config(), this.schedule, problems);
    Checks.throwIfAny(problems);
  }

  /**
   * What one call to {@link #step} did.
   *
   * @param step the caller's step number t
   * @param applied false when the step was skipped for a non-finite gradient or loss
   * @param lr the scheduled learning rate of step t
   * @param gradNorm the L2 norm of the gradient before clipping (NaN when not finite)
   * @param clipped whether clipping changed the gradient
   * @param nonFiniteEntries the number of NaN or infinite gradient entries
   */
  public record StepOutcome(
      long step,
      boolean applied,
      double lr,
      double gradNorm,
      boolean clipped,
      int nonFiniteEntries) {}

  /**
   * Updates {@code params} in place from the mean gradient of training step {@code step}.
   *
   * @param step the training step t, 1-based, for the schedule
   * @param params the parameters θ_t, overwritten with θ_{t+1}
   * @param grad the mean gradient at θ_t; clipped in place, contents afterwards unspecified
   * @param loss the mean loss at θ_t (used by irprop-plus); NaN or infinite counts as non-finite
   */
  public StepOutcome step(long step, float[] params, float[] grad, double loss) {
    double sumSq = GradientClipping.sumOfSquares(grad);
    int bad = 0;
    int first = -1;
    if (!Double.isFinite(sumSq)) {
      bad = NonFiniteGradientException.countNonFinite(grad);
      first = NonFiniteGradientException.firstNonFinite(grad);
    }
    double lr = schedule.lr(step);
    if (bad > 0 || !Double.isFinite(loss)) {
      if (policy == NonFiniteGradientPolicy.FAIL) {
        throw bad > 0
            ? NonFiniteGradientException.gradient(step, bad, grad.length, first)
            : NonFiniteGradientException.loss(step, loss);
      }
      skipped++;
      return new StepOutcome(step, false, lr, bad > 0 ? Double.NaN : Math.sqrt(sumSq), false, bad);
    }
    boolean clipped = clipping.clip(grad);
    optimizer.step(params, grad, lr, loss);
    return new StepOutcome(step, true, lr, Math.sqrt(sumSq), clipped, 0);
  }

  /** The number of steps skipped for a non-finite gradient or loss. */
  public long skippedSteps() {
    return skipped;
  }

  /** Continues the skipped-step count of a checkpointed run. */
  public void restoreSkippedSteps(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("skipped steps must be >= 0, got " + count);
    }
    skipped = count;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /** The schedule, bound to a base learning rate. */
  public LrSchedule schedule() {
    return schedule;
  }

  public GradientClipping clipping() {
    return clipping;
  }

  public NonFiniteGradientPolicy policy() {
    return policy;
  }
}
