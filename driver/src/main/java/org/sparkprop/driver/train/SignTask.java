package org.sparkprop.driver.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import org.sparkprop.core.exchange.sign.ExecutorStateStore;
import org.sparkprop.core.exchange.sign.Segments;
import org.sparkprop.core.exchange.sign.SignPayload;
import org.sparkprop.core.exchange.sign.SignStep;
import org.sparkprop.core.exchange.sign.StateRef;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/**
 * The task of one sign-compressed step on one partition: the partition's mean gradient,
 * compressed to one bit per parameter (plus a scale per tensor) against the residual this
 * executor keeps for (run, partition), versioned by step so that a retry sends the same bits.
 */
final class SignTask extends AbstractFunction2<TaskContext, Iterator<Block>, SignPayload>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<StepState> state;
  private final StepSettings settings;
  private final ExecutorRestore restore;

  /**
   * @param restore checkpointed executor state to put back first (a resumed run's first step),
   *     or null
   */
  SignTask(Broadcast<StepState> state, StepSettings settings, ExecutorRestore restore) {
    this.state = state;
    this.settings = settings;
    this.restore = restore;
  }

  @Override
  public SignPayload apply(TaskContext context, Iterator<Block> blocks) {
    StepState s = state.value();
    GradientPayload local = LocalGradient.compute(context, blocks, s.step(), s.params(),
        settings);
    int n = settings.model().numParams();
    long count = local.count();
    float[] grad = count > 0 ? SignStep.toMean(local.gradientSum(), count) : new float[n];
    StateRef ref = new StateRef(settings.runId(), context.partitionId(), s.step(),
        s.stateBase());
    ExecutorStateStore store = ExecutorStateStore.shared();
    if (restore != null) {
      restore.install(store, settings.runId(), context.partitionId());
    }
    if (s.step() == settings.dropStateAtStep()
        && context.partitionId() == settings.failPartition()) {
      // Test-only: as if this partition's executor had been lost.
      store.clear(settings.runId(), context.partitionId());
    }
    Segments segments = Segments.of(settings.model().layout());
    double loss = local.lossSum();
    SignPayload payload;
    switch (settings.mode()) {
      case SIGN_EF:
        payload = SignStep.efStep(store, ref, segments, grad, loss, count);
        break;
      case SIGN_MAJORITY:
        payload = SignStep.majorityStep(store, ref, grad, settings.signMomentum(), loss, count);
        break;
      case ONEBIT_ADAM:
        payload = SignStep.onebitAdamStep(store, ref, segments, s.momentum(), grad,
            settings.signMomentum(), loss, count);
        break;
      case ONEBIT_RMSPROP:
        payload = SignStep.onebitRmspropStep(store, ref, segments, s.momentum(), grad,
            settings.signMomentum(), loss, count);
        break;
      default:
        throw new IllegalStateException("not a sign mode: " + settings.mode());
    }
    if (settings.failAfterStateWrite()
        && settings.failsAt(s.step(), context.partitionId(), context.attemptNumber())) {
      throw new IllegalStateException("injected fault after the state write (testing."
          + "fail_task_at_step = " + s.step() + ", partition " + context.partitionId()
          + ", attempt 0): the retry must read the state this attempt read, not what it wrote");
    }
    return payload.withComputeNanos(local.computeNanos());
  }
}
