package org.sparkprop.driver.dataset;

import java.io.Serializable;
import org.sparkprop.driver.data.DataError;

/** What the loader learns about one source partition after reading it. */
public final class SourceStats implements Serializable {
  private static final long serialVersionUID = 2L;

  final int partition;
  final long trainRows;
  final long testRows;
  /** Largest feature count seen in one row: max index + 1 (sparse), columns (dense); 0 if none. */
  final int width;
  /** The problem that stopped the partition's reading, or null. */
  final DataError error;
  /** Text: the split's file and the lines it read (to its end; -1 when it stopped early). */
  final String file;
  final long lines;
  /** The distinct labels, when the loader collects them to choose a label mapping; else null. */
  final float[] labels;

  SourceStats(int partition, long trainRows, long testRows, int width, DataError error,
      String file, long lines, float[] labels) {
    this.partition = partition;
    this.trainRows = trainRows;
    this.testRows = testRows;
    this.width = width;
    this.error = error;
    this.file = file;
    this.lines = lines;
    this.labels = labels;
  }
}
