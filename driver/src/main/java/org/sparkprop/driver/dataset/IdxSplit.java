package org.sparkprop.driver.dataset;

import java.io.Serializable;

/**
 * A range of records of an IDX images/labels pair, read by one task: records {@code first ..
 * first + count - 1} (0-based). Small: paths and numbers only, never data.
 *
 * @param total the records in the files
 * @param imagesGzipped the images file is gzipped: the task reads from the start and skips to
 *     its range (a gzip stream cannot be entered mid-way)
 */
public record IdxSplit(String images, String labels, long first, int count, long total, int rows,
    int columns, boolean imagesGzipped, boolean labelsGzipped) implements Serializable {

  /** True when the split ends the files (it then checks that nothing follows). */
  boolean last() {
    return first + count == total;
  }

  int pixels() {
    return rows * columns;
  }

  /** What the images file's header promises, for messages. */
  String imagesLayout() {
    return "16-byte header + " + total + " images of " + rows + "x" + columns + " pixels";
  }

  /** What the labels file's header promises, for messages. */
  String labelsLayout() {
    return "8-byte header + " + total + " labels";
  }
}
