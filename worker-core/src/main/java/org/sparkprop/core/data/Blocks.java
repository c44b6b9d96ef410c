package org.sparkprop.core.data;

import java.util.List;

/** Slicing and concatenation of blocks, used when data is rebalanced over partitions. */
public final class Blocks {
  private Blocks() {}

  /** Rows {@code [from, to)} of {@code block} as a new block of the same kind. */
  public static Block slice(Block block, int from, int to) {
    if (from < 0 || to > block.numRows() || from > to) {
      throw new IndexOutOfBoundsException(
          "slice [" + from + ", " + to + ") of a block with " + block.numRows() + " rows");
    }
    int[] rows = new int[to - from];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = from + i;
    }
    return block.gather(rows, 0, rows.length);
  }

  /** The rows of all blocks, in order, as one block. The list must be non-empty and uniform. */
  public static Block concat(List<? extends Block> blocks) {
    BlockList list = new BlockList(blocks);
    int[] rows = new int[list.numRows()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    return list.gather(rows, rows.length);
  }
}
