package org.sparkprop.driver.train;

import java.io.IOException;
import org.sparkprop.core.exchange.sign.PartitionSnapshot;

/**
 * A checkpoint's executor state, one partition at a time: a resumed run reads each partition's
 * snapshot only to hand it to its executors, so the driver never holds all of them at once.
 */
public interface ExecutorStates {
  /** The number of partitions. */
  int partitions();

  /** The state of {@code partition} (read on demand). */
  PartitionSnapshot load(int partition) throws IOException;
}
