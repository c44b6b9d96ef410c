package org.sparkprop.driver.dataset;

import org.apache.spark.api.java.JavaRDD;
import org.sparkprop.core.data.Block;

/**
 * Training (and optional test) data, parsed once, balanced over partitions and cached.
 *
 * @param train cached training blocks, {@code numPartitions} non-empty partitions
 * @param test cached test blocks, or null when there is no test set
 * @param partitionRows rows of each training partition (they differ by at most one)
 * @param fingerprint what a checkpoint records of the training data
 * @param labels a classifier's labels in class order (the blocks hold class indices); null for
 *     regression
 */
public record Dataset(JavaRDD<Block> train, JavaRDD<Block> test, long trainRows, long testRows,
    int numFeatures, boolean sparse, long[] partitionRows, long cachedBytes,
    DataFingerprint fingerprint, org.sparkprop.driver.data.LabelMap labels) {

  /** Number of training partitions (tasks per step). */
  public int numPartitions() {
    return partitionRows.length;
  }

  /** Releases the cached blocks. */
  public void unpersist() {
    train.unpersist(false);
    if (test != null) {
      test.unpersist(false);
    }
  }
}
