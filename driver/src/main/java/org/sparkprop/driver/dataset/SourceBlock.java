package org.sparkprop.driver.dataset;

import java.io.Serializable;
import org.sparkprop.core.data.Block;
import org.sparkprop.driver.data.DataError;

/**
 * What a task reading a split emits: blocks of parsed rows, tagged as training or held-out test
 * rows by the seeded split; where the split holds bad input, the problem (after which the task
 * reads no further); and, for a text split read to its end, how many lines it read (so that a
 * later split's bad line gets its line number in the file).
 */
public final class SourceBlock implements Serializable {
  private static final long serialVersionUID = 2L;

  private final boolean test;
  private final Block block;
  private final DataError error;
  private final String file;
  private final long lines;

  private SourceBlock(boolean test, Block block, DataError error, String file, long lines) {
    this.test = test;
    this.block = block;
    this.error = error;
    this.file = file;
    this.lines = lines;
  }

  public SourceBlock(boolean test, Block block) {
    this(test, block, null, null, -1);
  }

  /** The problem that stopped a split's reading. */
  public static SourceBlock error(DataError error) {
    return new SourceBlock(false, null, error, error.file(), -1);
  }

  /** The end of a text split of {@code file} that read {@code lines} lines. */
  public static SourceBlock end(String file, long lines) {
    return new SourceBlock(false, null, null, file, lines);
  }

  /** True for rows held out as the test set. */
  public boolean isTest() {
    return test;
  }

  /** The rows, or null for an error or an end marker. */
  public Block block() {
    return block;
  }

  /** The problem, or null. */
  public DataError error() {
    return error;
  }

  /** The file of an end marker or an error, else null. */
  public String file() {
    return file;
  }

  /** Lines an end marker's split read, else -1. */
  public long lines() {
    return lines;
  }
}
