package org.sparkprop.driver.dataset;

import java.io.Serializable;
import org.sparkprop.core.data.Block;

/** A slice of rows on its way to its target partition; {@code start} is its global row index. */
public final class Piece implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long start;
  private final Block block;

  public Piece(long start, Block block) {
    this.start = start;
    this.block = block;
  }

  public long start() {
    return start;
  }

  public Block block() {
    return block;
  }
}
