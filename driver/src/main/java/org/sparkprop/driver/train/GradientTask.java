package org.sparkprop.driver.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.BlockList;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.runtime.NativeThreads;
import org.sparkprop.core.sample.BatchSampler;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction2;

/**
 * The task of one training step on one partition: sample this partition's rows for the step,
 * compute the summed gradient at the broadcast parameters, return one payload. A pure function
 * of (broadcast state, cached blocks, seed, partition), so a retried attempt returns the same
 * bits.
 */
final class GradientTask extends AbstractFunction2<TaskContext, Iterator<Block>, GradientPayload>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<StepState> state;
  private final StepSettings settings;

  GradientTask(Broadcast<StepState> state, StepSettings settings) {
    this.state = state;
    this.settings = settings;
  }

  @Override
  public GradientPayload apply(TaskContext context, Iterator<Block> blocks) {
    long start = System.nanoTime();
    NativeThreads.configure(settings.nativeThreads());
    StepState s = state.value();
    int partition = context.partitionId();
    maybeFail(s.step(), partition, context.attemptNumber());
    BlockList data = BlockList.of(JavaConverters.asJavaIterator(blocks));
    Network network = Networks.of(settings.model());
    float[] grad = new float[settings.model().numParams()];
    double loss;
    long count;
    if (settings.fullBatch()) {
      loss = 0;
      float[] part = new float[grad.length];
      for (Block b : data.blocks()) {
        loss += network.gradient(s.params(), b, part);
        for (int i = 0; i < grad.length; i++) {
          grad[i] += part[i];
        }
      }
      count = data.numRows();
    } else {
      int rows = BatchSampler.rowsPerStep(settings.globalBatch(), settings.numPartitions(),
          partition, s.step());
      if (rows == 0) {
        return GradientPayload.empty();
      }
      int[] picked = new int[rows];
      Samplers.of(settings.seed(), partition, data.numRows())
          .rowsForStep(s.step(), settings.globalBatch(), settings.numPartitions(), picked);
      Block batch = data.gather(picked, rows);
      loss = network.gradient(s.params(), batch, grad);
      count = rows;
    }
    return GradientPayload.of(grad, loss, count).withComputeNanos(System.nanoTime() - start);
  }

  private void maybeFail(long step, int partition, int attempt) {
    if (step == settings.failAtStep() && partition == settings.failPartition() && attempt == 0) {
      throw new IllegalStateException("injected fault (testing.fail_task_at_step = " + step
          + ", partition " + partition + ", attempt 0): the retry must give the same result");
    }
  }

  /** Per task thread, the sampler of the partition it last served (keeps its permutation). */
  static final class Samplers {
    private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

    private Samplers() {}

    static BatchSampler of(long seed, int partition, int rows) {
      Object[] last = LAST.get();
      if (last != null && (Long) last[0] == seed && (Integer) last[1] == partition
          && (Integer) last[2] == rows) {
        return (BatchSampler) last[3];
      }
      BatchSampler sampler = new BatchSampler(seed, partition, rows);
      LAST.set(new Object[] {seed, partition, rows, sampler});
      return sampler;
    }
  }
}
