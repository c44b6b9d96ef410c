package org.sparkprop.driver.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sparkprop.core.exchange.sign.Segments;
import org.sparkprop.core.exchange.sign.SignAccumulator;
import org.sparkprop.core.exchange.sign.StateRef;
import org.sparkprop.driver.optim.GradientClipping;
import org.sparkprop.driver.optim.GuardedOptimizer;
import org.sparkprop.driver.optim.NonFiniteGradientException;
import org.sparkprop.driver.optim.NonFiniteGradientPolicy;
import org.sparkprop.driver.optim.OptimizerState;

/**
 * {@code onebit-adam} (Tang et al. 2021) and {@code onebit-rmsprop}.
 *
 * <p>Warm-up: the first {@code freezeStep} steps are ordinary dense Adam (RMSprop) steps. Then
 * the denominator is frozen: {@code D = sqrt(v / (1 - beta2^T)) + eps} for Adam (its
 * bias-corrected second moment at the freeze step T, so the step size is continuous), and
 * {@code D = sqrt(v / (1 - alpha^T)) + eps} for RMSprop (whose v, started at 0, holds only
 * {@code 1 - alpha^T} of the second moment after T steps; PyTorch does not correct it while it
 * keeps averaging, but a frozen value must be the estimate itself). After the freeze:
 *
 * <ul>
 *   <li>Adam: each partition sends {@code m_p = beta1 m + (1 - beta1) g_p} compressed with
 *       error feedback (scale {@code ||x||_2 / sqrt(n)}); the driver sets {@code m} to the mean
 *       of the decoded momenta and applies {@code theta -= lr * m / D}. {@code m} starts as the
 *       warm-up's first moment.
 *   <li>RMSprop (momentum mu): PyTorch's buffer {@code buf = mu buf + g / D} equals {@code m /
 *       D} with {@code m = mu m + g} once D is constant, so each partition sends {@code mu m +
 *       g_p} (just {@code g_p} when mu = 0) compressed the same way; the driver sets {@code m}
 *       to the decoded mean and applies {@code theta -= lr * m / D}. {@code m} starts as {@code
 *       buf * D} from the warm-up.
 * </ul>
 *
 * The update runs on the driver, so the executors never need D: only {@code theta} and
 * {@code m} are broadcast each step. Each frozen {@code sqrt(v)} is floored at {@code
 * sign.denominator_floor} times its tensor's RMS (see {@link #applyFloor}). The learning rate follows the configured schedule;
 * gradient clipping applies to the dense warm-up only (after it, what arrives is a momentum).
 */
final class OnebitExchange implements Exchange {
  private static final String DENOMINATOR = "denominator";
  private static final String MOMENTUM = "momentum";
  private static final String SKIPPED = "skipped";
  private final StepRunner runner;
  private final GuardedOptimizer warmup;
  private final ExchangeMode mode;
  private final long freezeStep;
  private final SignAccumulator accumulator;
  private final Segments segments;
  private final double floorFraction;
  private final int n;
  private float[] denominator;
  private float[] momentum;
  private final float[] grad;
  private long stateBase = StateRef.NONE;
  private long skipped;

  OnebitExchange(StepRunner runner, GuardedOptimizer warmup, ExchangeMode mode, long freezeStep,
      double floorFraction, Segments segments) {
    this.segments = segments;
    this.floorFraction = floorFraction;
    this.runner = runner;
    this.warmup = warmup;
    this.mode = mode;
    this.freezeStep = freezeStep;
    this.accumulator = SignAccumulator.forMean(segments);
    this.n = segments.length();
    this.grad = new float[n];
  }

  @Override
  public StepReport step(long step, float[] params) {
    if (step < freezeStep) {
      return denseWarmup(step, params);
    }
    if (denominator == null) {
      freeze();
    }
    SignAccumulator acc = runner.signStep(step, params, momentum, stateBase, accumulator);
    acc.meanDecoded(grad);
    double loss = acc.meanLoss();
    double lr = warmup.schedule().lr(step + 1);
    int bad = NonFiniteGradientException.countNonFinite(grad);
    if (bad > 0 || !Double.isFinite(loss)) {
      if (warmup.policy() == NonFiniteGradientPolicy.FAIL) {
        throw bad > 0 ? NonFiniteGradientException.gradient(step + 1, bad, n, firstNonFinite(grad))
            : NonFiniteGradientException.loss(step + 1, loss);
      }
      skipped++;
      return new StepReport(loss, acc.count(), lr, false, Double.NaN, acc.computeNanos(),
          runner.lastReduceNanos, acc.missingStates());
    }
    for (int i = 0; i < n; i++) {
      params[i] = (float) (params[i] - lr * grad[i] / denominator[i]);
    }
    if (momentum != null) { // Adam, and RMSprop with momentum: the decoded value is the new m
      System.arraycopy(grad, 0, momentum, 0, n);
    }
    stateBase = step;
    return new StepReport(loss, acc.count(), lr, true, GradientClipping.globalNorm(grad),
        acc.computeNanos(), runner.lastReduceNanos, acc.missingStates());
  }

  private StepReport denseWarmup(long step, float[] params) {
    org.sparkprop.core.exchange.GradientPayload payload = runner.gradient(step, params);
    payload.meanGradient(grad);
    double loss = payload.meanLoss();
    GuardedOptimizer.StepOutcome outcome = warmup.step(step + 1, params, grad, loss);
    return new StepReport(loss, payload.count(), outcome.lr(), outcome.applied(),
        outcome.gradNorm(), payload.computeNanos(), runner.lastReduceNanos, 0);
  }

  /**
   * Raises every frozen {@code sqrt(v)} to at least {@code floorFraction} times the RMS of its
   * tensor's {@code sqrt(v)}. A sign code cannot send zero: an entry whose gradient was exactly
   * zero during the warm-up (a blank input pixel, a dead ReLU) still receives ±scale each step,
   * and divided by a bare {@code eps} that would be a huge update.
   */
  private void applyFloor(float[] root) {
    double allSq = 0;
    for (float r : root) {
      allSq += (double) r * r;
    }
    double globalRms = Math.sqrt(allSq / root.length);
    for (int k = 0; k < segments.count(); k++) {
      double sumSq = 0;
      for (int i = segments.start(k); i < segments.end(k); i++) {
        sumSq += (double) root[i] * root[i];
      }
      double rms = Math.sqrt(sumSq / segments.size(k));
      // A tensor whose gradient was zero throughout the warm-up borrows the model's RMS.
      float floor = (float) (floorFraction * (rms > 0 ? rms : globalRms));
      for (int i = segments.start(k); i < segments.end(k); i++) {
        root[i] = Math.max(root[i], floor);
      }
    }
  }

  /** {@code D = max(sqrt(v / correction), floor) + eps}, per entry (see {@link #applyFloor}). */
  private float[] frozenDenominator(float[] v, double correction, double eps) {
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = (float) Math.sqrt(v[i] / correction);
    }
    applyFloor(d);
    for (int i = 0; i < n; i++) {
      d[i] = (float) (d[i] + eps);
    }
    return d;
  }

  /** Freezes D from the warm-up optimizer's state and takes its momentum. */
  private void freeze() {
    OptimizerState state = warmup.optimizer().exportState();
    if (state.step() == 0) {
      throw new IllegalStateException("exchange " + mode.configName() + ": none of the "
          + freezeStep + " warm-up steps was applied (all skipped for NaN/Inf), so there is no "
          + "second moment to freeze; raise sign.freeze_step or lower optimizer.lr");
    }
    if (mode == ExchangeMode.ONEBIT_ADAM) {
      var adam = (org.sparkprop.driver.optim.AdamConfig) warmup.optimizer().config();
      denominator = frozenDenominator(state.array("exp_avg_sq"),
          1 - Math.pow(adam.beta2(), Math.max(1, state.step())), adam.eps());
      momentum = state.array("exp_avg").clone();
    } else {
      var rms = (org.sparkprop.driver.optim.RmsPropConfig) warmup.optimizer().config();
      float[] v = state.array("square_avg");
      // RMSprop's v starts at 0 and holds (1 - alpha^T) of the second moment after T steps;
      // frozen as is, a short warm-up would leave D far too small for the rest of the run.
      denominator = frozenDenominator(v, 1 - Math.pow(rms.alpha(), Math.max(1, state.step())),
          rms.eps());
      if (rms.momentum() > 0) {
        float[] buf = state.array("momentum_buffer");
        momentum = new float[n];
        for (int i = 0; buf != null && i < n; i++) {
          momentum[i] = buf[i] * denominator[i];
        }
      }
    }
  }

  private static int firstNonFinite(float[] x) {
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public long skippedSteps() {
    return warmup.skippedSteps() + skipped;
  }

  @Override
  public ExchangeState exportState() {
    Map<String, float[]> arrays = new LinkedHashMap<>();
    if (denominator != null) {
      arrays.put(DENOMINATOR, denominator.clone());
    }
    if (momentum != null) {
      arrays.put(MOMENTUM, momentum.clone());
    }
    return new ExchangeState(arrays, Map.of(SignExchange.STATE_BASE, stateBase, SKIPPED, skipped));
  }

  @Override
  public void importState(ExchangeState state) {
    long base = state.counter(SignExchange.STATE_BASE);
    long skips = state.counter(SKIPPED);
    float[] d = state.array(DENOMINATOR, n);
    float[] m = state.array(MOMENTUM, n);
    if (d == null && m != null) {
      throw new IllegalArgumentException("the exchange state has a momentum but no frozen "
          + "denominator");
    }
    stateBase = base;
    skipped = skips;
    denominator = d;
    momentum = m;
  }

  @Override
  public long executorStateStep() {
    return stateBase;
  }
}
