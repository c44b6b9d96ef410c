package org.sparkprop.driver.dataset;

import java.io.Serializable;
import org.sparkprop.core.data.Block;

/** A block of parsed rows, tagged as training or held-out test rows by the seeded split. */
public final class SourceBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean test;
  private final Block block;

  public SourceBlock(boolean test, Block block) {
    this.test = test;
    this.block = block;
  }

  /** True for rows held out as the test set. */
  public boolean isTest() {
    return test;
  }

  public Block block() {
    return block;
  }
}
