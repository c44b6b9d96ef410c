package org.sparkprop.core.exchange.sign;

import java.io.Serializable;

/**
 * Which executor state a task reads and writes: the state of {@code (runId, partition)} written
 * at step {@code baseStep} is read, and the task's new state is written as step {@code step}.
 *
 * <p>Normally {@code baseStep = step - 1} ({@link #next}). The driver may instead name an older
 * base, the last step whose update it applied, to roll back steps it skipped (e.g. a non-finite
 * gradient with {@code on_non_finite = skip}): the store keeps that base until a later write no
 * longer names it. {@link #NONE} ({@link #first}) means "start from zero on purpose": the first
 * step of a run, the first compressed step after a warm-up, the first step after resuming a
 * checkpoint; such a read is not counted as missing.
 *
 * @param runId identifies the training run; state of different runs never mixes
 * @param partition the Spark partition index
 * @param step the step this task computes, {@code >= 0}
 * @param baseStep the step whose state to continue from, {@code < step}, or {@link #NONE}
 */
public record StateRef(String runId, int partition, long step, long baseStep)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The base step meaning "no previous state: start from zero". */
  public static final long NONE = -1L;

  /**
   * @throws IllegalArgumentException if runId is null or empty, partition or step is negative,
   *     or baseStep is neither NONE nor in {@code [0, step)}
   */
  public StateRef {
    if (runId == null || runId.isEmpty()) {
      throw new IllegalArgumentException("runId must be a non-empty string");
    }
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, got " + partition);
    }
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    if (baseStep != NONE && (baseStep < 0 || baseStep >= step)) {
      throw new IllegalArgumentException("baseStep must be NONE (-1) or in [0, " + step
          + "), got " + baseStep);
    }
  }

  /** A task at {@code step} continuing from the state of {@code step - 1} (NONE at step 0). */
  public static StateRef next(String runId, int partition, long step) {
    return new StateRef(runId, partition, step, step == 0 ? NONE : step - 1);
  }

  /** A task at {@code step} that starts from zero on purpose (not counted as missing). */
  public static StateRef first(String runId, int partition, long step) {
    return new StateRef(runId, partition, step, NONE);
  }

  /** True when this task starts from zero on purpose. */
  public boolean isFirst() {
    return baseStep == NONE;
  }
}
