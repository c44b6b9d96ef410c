package org.sparkprop.driver.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.Blocks;
import org.sparkprop.core.data.SparseBlock;
import scala.Tuple2;

/**
 * Moves rows into {@code P} partitions of equal size (±1 row), keeping their global order.
 *
 * <p>Rows are numbered in source order (source partition, then position). Target partition p
 * receives rows {@code [p*N/P, (p+1)*N/P)}. Only slices of blocks are shuffled, never single
 * rows, and each target sorts its slices by their first row, so the result does not depend on
 * the order in which shuffle blocks arrive.
 */
final class Rebalancer {
  private Rebalancer() {}

  /**
   * @param source blocks in source order
   * @param sourceRows rows in each source partition
   * @param numFeatures feature count to stamp on sparse blocks (0 = keep)
   */
  static JavaRDD<Block> balance(JavaRDD<Block> source, long[] sourceRows, int numPartitions,
      int blockRows, int numFeatures) {
    return balance(source, sourceRows, null, numPartitions, blockRows, numFeatures);
  }

  /**
   * @param order the source partitions in row order (null: by index), for sources whose
   *     partition indices do not follow the data's own order (a DataFrame's file splits)
   */
  static JavaRDD<Block> balance(JavaRDD<Block> source, long[] sourceRows, int[] order,
      int numPartitions, int blockRows, int numFeatures) {
    long[] offsets = new long[sourceRows.length];
    long total = 0;
    for (int k = 0; k < sourceRows.length; k++) {
      int i = order == null ? k : order[k];
      offsets[i] = total;
      total += sourceRows[i];
    }
    long totalRows = total;
    JavaPairRDD<Integer, Piece> pieces = JavaPairRDD.fromJavaRDD(source.mapPartitionsWithIndex(
        (index, blocks) -> cut(blocks, offsets[index], totalRows, numPartitions), false));
    return pieces.partitionBy(new ByIndex(numPartitions))
        .mapPartitions(it -> assemble(it, blockRows, numFeatures), true);
  }

  /** First global row of target partition p. */
  static long targetStart(int p, long total, int numPartitions) {
    return Math.floorDiv(p * total, numPartitions);
  }

  private static Iterator<Tuple2<Integer, Piece>> cut(Iterator<Block> blocks, long firstRow, long total,
      int numPartitions) {
    List<Tuple2<Integer, Piece>> out = new ArrayList<>();
    long g = firstRow;
    while (blocks.hasNext()) {
      Block b = blocks.next();
      int from = 0;
      while (from < b.numRows()) {
        int target = targetOf(g + from, total, numPartitions);
        long targetEnd = targetStart(target + 1, total, numPartitions);
        int to = (int) Math.min(b.numRows(), targetEnd - g);
        Block slice = from == 0 && to == b.numRows() ? b : Blocks.slice(b, from, to);
        out.add(new Tuple2<>(target, new Piece(g + from, slice)));
        from = to;
      }
      g += b.numRows();
    }
    return out.iterator();
  }

  /** The target partition of global row g. */
  static int targetOf(long g, long total, int numPartitions) {
    int p = (int) Math.min(numPartitions - 1, (g * numPartitions) / total);
    while (p > 0 && targetStart(p, total, numPartitions) > g) {
      p--;
    }
    while (p < numPartitions - 1 && targetStart(p + 1, total, numPartitions) <= g) {
      p++;
    }
    return p;
  }

  private static Iterator<Block> assemble(Iterator<Tuple2<Integer, Piece>> it, int blockRows,
      int numFeatures) {
    List<Piece> pieces = new ArrayList<>();
    while (it.hasNext()) {
      pieces.add(it.next()._2());
    }
    pieces.sort(Comparator.comparingLong(Piece::start));
    // Stream the sorted pieces into blocks of blockRows rows: never more than one block's rows
    // are copied at a time.
    List<Block> out = new ArrayList<>();
    List<Block> pending = new ArrayList<>();
    int pendingRows = 0;
    for (Piece p : pieces) {
      Block b = p.block();
      int from = 0;
      while (from < b.numRows()) {
        int take = Math.min(blockRows - pendingRows, b.numRows() - from);
        pending.add(from == 0 && take == b.numRows() ? b : Blocks.slice(b, from, from + take));
        pendingRows += take;
        from += take;
        if (pendingRows == blockRows) {
          out.add(stamp(pending, numFeatures));
          pending.clear();
          pendingRows = 0;
        }
      }
    }
    if (pendingRows > 0) {
      out.add(stamp(pending, numFeatures));
    }
    return out.iterator();
  }

  private static Block stamp(List<Block> parts, int numFeatures) {
    Block b = parts.size() == 1 ? parts.get(0) : Blocks.concat(parts);
    if (numFeatures > 0 && b instanceof SparseBlock) {
      b = ((SparseBlock) b).withNumFeatures(numFeatures);
    }
    return b;
  }

  /** Sends key k to partition k. */
  static final class ByIndex extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    ByIndex(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByIndex && ((ByIndex) o).n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }
}
