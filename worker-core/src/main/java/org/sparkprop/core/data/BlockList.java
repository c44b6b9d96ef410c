package org.sparkprop.core.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The blocks of one partition seen as one sequence of rows, numbered from 0 in block order.
 * Used by a task to gather its mini-batch from the cached blocks without copying them.
 */
public final class BlockList {
  private final Block[] blocks;
  private final int[] starts; // starts[i] = first row of blocks[i]; starts[n] = total rows
  private final boolean sparse;
  private final boolean weighted;

  /** Wraps the blocks in order. All blocks must be of one kind and one feature count. */
  public BlockList(List<? extends Block> blocks) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("a partition must hold at least one block");
    }
    this.blocks = blocks.toArray(new Block[0]);
    this.starts = new int[this.blocks.length + 1];
    this.sparse = this.blocks[0] instanceof SparseBlock;
    this.weighted = this.blocks[0].weights() != null;
    int features = this.blocks[0].numFeatures();
    long total = 0;
    for (int i = 0; i < this.blocks.length; i++) {
      Block b = this.blocks[i];
      if ((b instanceof SparseBlock) != sparse || b.numFeatures() != features
          || (b.weights() != null) != weighted) {
        throw new IllegalArgumentException(
            "blocks of one partition must share kind, width and whether they have weights");
      }
      starts[i] = (int) total;
      total += b.numRows();
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a partition may hold at most 2^31-1 rows, got " + total);
    }
    starts[this.blocks.length] = (int) total;
  }

  /** Collects a partition's iterator into a list. */
  public static BlockList of(Iterator<? extends Block> it) {
    List<Block> list = new ArrayList<>();
    while (it.hasNext()) {
      list.add(it.next());
    }
    return new BlockList(list);
  }

  /** Total rows over all blocks. */
  public int numRows() {
    return starts[blocks.length];
  }

  /** Feature count shared by the blocks. */
  public int numFeatures() {
    return blocks[0].numFeatures();
  }

  /** The blocks, in order. */
  public List<Block> blocks() {
    return List.of(blocks);
  }

  /** Copies the given rows (partition-wide numbering) into one new block, in the given order. */
  public Block gather(int[] rows, int count) {
    if (blocks.length == 1) {
      return blocks[0].gather(rows, 0, count);
    }
    if (sparse) {
      SparseBlock b = gatherSparse(rows, count);
      return weighted ? b.withWeights(gatherWeights(rows, count, new float[count])) : b;
    }
    return gatherDense(rows, count, new float[count * numFeatures()], new float[count],
        weighted ? new float[count] : null);
  }

  /**
   * As {@link #gather(int[], int)}, but dense rows go into {@code buffer}'s arrays: the block is
   * valid until the next gather into that buffer. Sparse rows still go into new arrays (their
   * length changes from batch to batch).
   */
  public Block gather(int[] rows, int count, BatchBuffer buffer) {
    if (sparse) {
      return gather(rows, count);
    }
    return gatherDense(rows, count, buffer.features(count * numFeatures()), buffer.labels(count),
        weighted ? buffer.weights(count) : null);
  }

  private float[] gatherWeights(int[] rows, int count, float[] w) {
    for (int k = 0; k < count; k++) {
      int b = blockOf(rows[k]);
      w[k] = blocks[b].weight(rows[k] - starts[b]);
    }
    return w;
  }

  private int blockOf(int row) {
    int lo = 0;
    int hi = blocks.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= row) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private DenseBlock gatherDense(int[] rows, int count, float[] x, float[] y, float[] w) {
    int d = numFeatures();
    for (int k = 0; k < count; k++) {
      int b = blockOf(rows[k]);
      DenseBlock block = (DenseBlock) blocks[b];
      int r = rows[k] - starts[b];
      System.arraycopy(block.features(), r * d, x, k * d, d);
      y[k] = block.label(r);
    }
    return new DenseBlock(count, d, x, y, w == null ? null : gatherWeights(rows, count, w));
  }

  private SparseBlock gatherSparse(int[] rows, int count) {
    int[] ptr = new int[count + 1];
    for (int k = 0; k < count; k++) {
      int b = blockOf(rows[k]);
      SparseBlock block = (SparseBlock) blocks[b];
      int r = rows[k] - starts[b];
      ptr[k + 1] = ptr[k] + block.indptr()[r + 1] - block.indptr()[r];
    }
    int[] idx = new int[ptr[count]];
    float[] val = new float[ptr[count]];
    float[] y = new float[count];
    for (int k = 0; k < count; k++) {
      int b = blockOf(rows[k]);
      SparseBlock block = (SparseBlock) blocks[b];
      int r = rows[k] - starts[b];
      int from = block.indptr()[r];
      int len = block.indptr()[r + 1] - from;
      System.arraycopy(block.indices(), from, idx, ptr[k], len);
      System.arraycopy(block.values(), from, val, ptr[k], len);
      y[k] = block.label(r);
    }
    return new SparseBlock(count, numFeatures(), ptr, idx, val, y);
  }
}
