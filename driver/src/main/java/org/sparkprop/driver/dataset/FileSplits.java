package org.sparkprop.driver.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.OneToOneDependency;
import org.apache.spark.Partition;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import scala.collection.JavaConverters;

/**
 * Where each partition of a DataFrame read from files starts: its first file and byte offset.
 * Spark numbers a scan's partitions in an order that follows the files' sizes, not their names;
 * sorting by (file, offset) gives the data's own order, the same in every run, whatever the
 * sizes. Found by walking the RDD's one-to-one dependencies down to the file scan; a DataFrame
 * that is not a plain file scan has none.
 */
final class FileSplits {
  private FileSplits() {}

  /** Per partition, "path@offset" of its first file, or null when the RDD is no file scan. */
  static String[] starts(RDD<?> rdd) {
    RDD<?> r = rdd;
    while (true) {
      Partition[] parts = r.partitions();
      if (parts.length > 0 && parts[0] instanceof FilePartition) {
        if (parts.length != rdd.partitions().length) {
          return null;
        }
        String[] out = new String[parts.length];
        for (int p = 0; p < parts.length; p++) {
          PartitionedFile[] files = ((FilePartition) parts[p]).files();
          out[p] = files.length == 0 ? "" : files[0].filePath() + "@" + String.format(
              java.util.Locale.ROOT, "%020d", files[0].start());
        }
        return out;
      }
      List<Dependency<?>> deps = new ArrayList<>(JavaConverters.seqAsJavaListConverter(
          r.dependencies()).asJava());
      if (deps.size() != 1 || !(deps.get(0) instanceof OneToOneDependency)) {
        return null;
      }
      r = deps.get(0).rdd();
    }
  }

  /** A number per partition from its start (for the seeded held-out split), or null. */
  static long[] keys(RDD<?> rdd) {
    String[] starts = starts(rdd);
    if (starts == null) {
      return null;
    }
    return Arrays.stream(starts).mapToLong(TextParsing::fileKey).toArray();
  }

  /** The partitions in the data's order (by file, then offset), or null: keep their order. */
  static int[] order(RDD<?> rdd) {
    String[] starts = starts(rdd);
    if (starts == null) {
      return null;
    }
    Integer[] idx = new Integer[starts.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparing((Integer i) -> starts[i]));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }
}
