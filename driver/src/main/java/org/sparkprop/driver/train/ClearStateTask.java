package org.sparkprop.driver.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.exchange.sign.ExecutorStateStore;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/** Drops a finished run's residuals and local momenta from the executor that runs it. */
final class ClearStateTask extends AbstractFunction2<TaskContext, Iterator<Block>, Integer>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String runId;

  ClearStateTask(String runId) {
    this.runId = runId;
  }

  @Override
  public Integer apply(TaskContext context, Iterator<Block> blocks) {
    ExecutorStateStore.shared().clear(runId);
    return 0;
  }
}
