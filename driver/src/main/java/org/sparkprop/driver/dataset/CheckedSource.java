package org.sparkprop.driver.dataset;

import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.SparseBlock;
import org.sparkprop.driver.data.DataError;
import org.sparkprop.driver.data.DataFileException;

/**
 * What the tasks reading a data set emitted, checked: rows and width per source partition, the
 * partitions' order in the data, and no bad input (the first problem in file order is thrown).
 */
final class CheckedSource {
  /** Distinct labels a partition reports at most while the mapping is chosen. */
  static final int MAX_DISTINCT_LABELS = 1024;

  JavaRDD<SourceBlock> rdd;
  /** The source partitions in the data's order, or null for index order. */
  int[] order;
  List<SourceStats> stats;
  long[] trainRows;
  long[] testRows;
  int width;
  String path;

  private CheckedSource() {}

  /**
   * Checks what the tasks read: rows and width per source partition, and the first problem in
   * file order (the lowest partition's; a text line gets its line number from the lines the
   * splits before it read), the same one in every run.
   *
   * @param collect gather each partition's distinct labels (a classifier's, to choose the
   *     mapping)
   * @param keep cache what the tasks read for the balancing pass (parsed text is expensive to
   *     parse again); binary records are cheaper to read again than to hold twice in memory
   * @throws DataFileException for that problem
   */
  static CheckedSource check(JavaRDD<SourceBlock> read, String path, boolean keep,
      boolean collect) {
    CheckedSource p = new CheckedSource();
    p.path = path;
    p.rdd = keep ? read.persist(StorageLevel.MEMORY_AND_DISK()) : read;
    p.order = FileSplits.order(read.rdd());
    p.stats = p.rdd.mapPartitionsWithIndex((index, it) -> stats(index, it, collect), true)
        .collect();
    p.trainRows = new long[p.stats.size()];
    p.testRows = new long[p.stats.size()];
    int[] rank = new int[p.stats.size()]; // a partition's place in the data's order
    for (int k = 0; k < rank.length; k++) {
      rank[p.order == null ? k : p.order[k]] = k;
    }
    SourceStats bad = null;
    for (SourceStats s : p.stats) {
      p.trainRows[s.partition] = s.trainRows;
      p.testRows[s.partition] = s.testRows;
      p.width = Math.max(p.width, s.width);
      if (s.error != null && (bad == null || rank[s.partition] < rank[bad.partition])) {
        bad = s;
      }
    }
    if (bad != null) {
      p.rdd.unpersist(false);
      DataError e = bad.error;
      if (e.linesBefore() >= 0) {
        long line = e.linesBefore() + 1;
        for (SourceStats s : p.stats) {
          if (s.partition < bad.partition && e.file().equals(s.file)) {
            line += s.lines;
          }
        }
        e = e.withLine(line);
      }
      throw e.toException();
    }
    return p;
  }

  /**
   * @param collect gather the distinct labels (up to {@value #MAX_DISTINCT_LABELS}; null past
   *     that)
   */
  private static Iterator<SourceStats> stats(int index, Iterator<SourceBlock> it,
      boolean collect) {
    long train = 0;
    long test = 0;
    int width = 0;
    DataError error = null;
    String file = null;
    long lines = -1;
    TreeSet<Float> labels = collect ? new TreeSet<>() : null;
    while (it.hasNext()) {
      SourceBlock sb = it.next();
      if (sb.error() != null) {
        error = sb.error();
        continue;
      }
      Block b = sb.block();
      if (b == null) {
        file = sb.file();
        lines = sb.lines();
        continue;
      }
      if (sb.isTest()) {
        test += b.numRows();
      } else {
        train += b.numRows();
      }
      for (int r = 0; labels != null && r < b.numRows(); r++) {
        labels.add(b.label(r));
        if (labels.size() > MAX_DISTINCT_LABELS) {
          labels = null;
        }
      }
      if (b instanceof SparseBlock && b.numFeatures() == TextParsing.UNKNOWN_WIDTH) {
        // LIBSVM rows of no declared width: as wide as the largest index read.
        for (int i : ((SparseBlock) b).indices()) {
          width = Math.max(width, i + 1);
        }
      } else { // the declared width (a sparse vector's size, even where its last are zeros)
        width = Math.max(width, b.numFeatures());
      }
    }
    float[] distinct = null;
    if (labels != null) {
      distinct = new float[labels.size()];
      int k = 0;
      for (float l : labels) {
        distinct[k++] = l;
      }
    }
    return List.of(new SourceStats(index, train, test, width, error, file, lines, distinct))
        .iterator();
  }
}
