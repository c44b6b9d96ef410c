package org.sparkprop.driver.train;

import java.io.Serializable;
import org.sparkprop.core.model.ModelSpec;

/**
 * What every task of a run needs besides the broadcast step state; shipped in the task closure
 * (small: no arrays).
 *
 * @param globalBatch rows per step over all partitions (ignored when fullBatch)
 * @param failAtStep test-only: step whose first attempt fails on failPartition; -1 = never
 * @param mode the gradient exchange
 * @param runId identifies this run's executor state (sign modes)
 * @param signMomentum sign-majority: Signum's local momentum; onebit-adam: beta1;
 *     onebit-rmsprop: momentum
 * @param dropStateAtStep test-only: step at which failPartition's executor state is dropped
 * @param failAfterStateWrite test-only: the injected fault fires after a sign task has written
 *     its executor state (else before the task computes anything)
 * @param jitNice nice value for the executors' JIT compiler threads (0: as they are)
 */
record StepSettings(ModelSpec model, long seed, int globalBatch, int numPartitions,
    boolean fullBatch, int nativeThreads, long failAtStep, int failPartition, ExchangeMode mode,
    String runId, double signMomentum, long dropStateAtStep, boolean failAfterStateWrite,
    int jitNice)
    implements Serializable {

  /** True when the injected fault fires for this task attempt. */
  boolean failsAt(long step, int partition, int attempt) {
    return step == failAtStep && partition == failPartition && attempt == 0;
  }
}
