package org.sparkprop.driver.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.exchange.sign.ExecutorStateStore;
import org.sparkprop.core.exchange.sign.PartitionSnapshot;
import org.sparkprop.core.exchange.sign.PartitionState;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/**
 * Returns one partition's executor state of one step to the driver, for a checkpoint; the
 * state stays in the store. Runs on the training data, so Spark places it where the partition's
 * step tasks run (and its state lives).
 */
final class GatherStateTask
    extends AbstractFunction2<TaskContext, Iterator<Block>, PartitionSnapshot>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String runId;
  private final long step;

  GatherStateTask(String runId, long step) {
    this.runId = runId;
    this.step = step;
  }

  @Override
  public PartitionSnapshot apply(TaskContext context, Iterator<Block> blocks) {
    int partition = context.partitionId();
    PartitionState state = ExecutorStateStore.shared().peek(runId, partition, step);
    return state == null ? PartitionSnapshot.missing(partition, step)
        : PartitionSnapshot.of(partition, step, state);
  }
}
