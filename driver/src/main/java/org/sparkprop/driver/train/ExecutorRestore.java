package org.sparkprop.driver.train;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.exchange.sign.ExecutorStateStore;
import org.sparkprop.core.exchange.sign.PartitionSnapshot;

/**
 * The executor state a resumed run hands back to its executors with its first step: one
 * broadcast per partition, so an executor fetches only the partitions it runs. The task of
 * partition p puts p's state into its store (under the new run's id) before it reads it; a
 * partition whose state was missing at the checkpoint gets none and restarts from zero, as it
 * would have in the uninterrupted run.
 */
final class ExecutorRestore implements Serializable {
  private static final long serialVersionUID = 1L;

  /** By partition; null where the state was missing at the checkpoint. */
  private final List<Broadcast<PartitionSnapshot>> states;

  ExecutorRestore(List<Broadcast<PartitionSnapshot>> states) {
    this.states = states;
  }

  /** Installs partition {@code partition}'s state into {@code store} under {@code runId}. */
  void install(ExecutorStateStore store, String runId, int partition) {
    Broadcast<PartitionSnapshot> b = states.get(partition);
    if (b != null) {
      PartitionSnapshot s = b.value();
      store.restore(runId, partition, s.step(), s.toState());
    }
  }

  /** The broadcasts (the driver destroys them after the first step). */
  List<Broadcast<PartitionSnapshot>> broadcasts() {
    return states;
  }
}
