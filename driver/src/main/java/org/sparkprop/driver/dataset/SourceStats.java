package org.sparkprop.driver.dataset;

import java.io.Serializable;

/** What the loader learns about one source partition after parsing it. */
public final class SourceStats implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final long trainRows;
  final long testRows;
  /** Largest feature count seen in one row: max index + 1 (sparse), columns (dense); 0 if none. */
  final int width;

  SourceStats(int partition, long trainRows, long testRows, int width) {
    this.partition = partition;
    this.trainRows = trainRows;
    this.testRows = testRows;
    this.width = width;
  }
}
