package org.sparkprop.driver.train;

import java.util.Arrays;
import org.apache.spark.TaskContext;
import org.sparkprop.core.data.BatchBuffer;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.BlockList;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.runtime.CompilerPriority;
import org.sparkprop.core.runtime.NativeThreads;
import org.sparkprop.core.sample.BatchSampler;
import scala.collection.Iterator;
import scala.collection.JavaConverters;

/**
 * One partition's part of a step, shared by every exchange mode: pick this step's rows (or all
 * rows in full-batch mode) and compute their summed gradient at {@code params}. A pure function
 * of its inputs, so a retried attempt computes the same bits.
 */
final class LocalGradient {
  private LocalGradient() {}

  /** The summed gradient payload of partition {@code context.partitionId()} at step {@code step}. */
  static GradientPayload compute(TaskContext context, Iterator<Block> blocks, long step,
      float[] params, StepSettings settings) {
    long start = System.nanoTime();
    NativeThreads.configure(settings.nativeThreads());
    CompilerPriority.lower(settings.jitNice());
    int partition = context.partitionId();
    maybeFail(settings, step, partition, context.attemptNumber());
    BlockList data = BlockList.of(JavaConverters.asJavaIterator(blocks));
    Network network = Networks.of(settings.model());
    float[] grad = Gradients.forThread(settings.model().numParams());
    double loss;
    long count;
    if (settings.fullBatch()) {
      loss = 0;
      Arrays.fill(grad, 0f);
      float[] part = new float[grad.length];
      for (Block b : data.blocks()) {
        loss += network.gradient(params, b, part);
        for (int i = 0; i < grad.length; i++) {
          grad[i] += part[i];
        }
      }
      count = data.numRows();
    } else {
      int rows = BatchSampler.rowsPerStep(settings.globalBatch(), settings.numPartitions(),
          partition, step);
      if (rows == 0) {
        return GradientPayload.empty();
      }
      int[] picked = new int[rows];
      Samplers.of(settings.seed(), partition, data.numRows())
          .rowsForStep(step, settings.globalBatch(), settings.numPartitions(), picked);
      Block batch = data.gather(picked, rows, BatchBuffer.forThread());
      loss = network.gradient(params, batch, grad);
      count = rows;
    }
    return GradientPayload.of(grad, loss, count).withComputeNanos(System.nanoTime() - start);
  }

  private static void maybeFail(StepSettings settings, long step, int partition, int attempt) {
    if (!settings.failAfterStateWrite() && settings.failsAt(step, partition, attempt)) {
      throw new IllegalStateException("injected fault (testing.fail_task_at_step = " + step
          + ", partition " + partition + ", attempt 0): the retry must give the same result");
    }
  }

  /**
   * Per task thread, the array its gradient is written into, step after step. A new 0.8 MB
   * array per task and step (W1) took 2 – 7 ms in some steps of a run against 0.05 ms in others
   * (most likely the allocation landing in heap the collector had just resized). Reuse is safe because
   * a task's result leaves the thread before the thread runs its next task: Spark serializes it
   * in the task thread when the task function returns (and tree mode's shuffle writer writes it
   * before the task ends); within a task only one gradient is computed.
   */
  static final class Gradients {
    private static final ThreadLocal<float[]> LAST = ThreadLocal.withInitial(() -> new float[0]);

    private Gradients() {}

    static float[] forThread(int length) {
      float[] grad = LAST.get();
      if (grad.length != length) {
        grad = new float[length];
        LAST.set(grad);
      }
      return grad;
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
