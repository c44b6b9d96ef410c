package org.sparkprop.driver.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.driver.data.LabelRule;
import org.sparkprop.driver.data.DataError;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.IdxReader;

/**
 * An IDX images/labels pair (MNIST and its kin) read where it lives: the driver reads the two
 * headers and the file sizes, and splits the records into ranges; each task opens the files
 * itself, seeks to its range and packs its records into blocks. No task carries data in its
 * closure, and the driver's memory does not grow with the data.
 *
 * <p>Uncompressed files are split into ranges of about {@value #SPLIT_BYTES} bytes of images
 * (at least one per partition). A gzip stream cannot be entered mid-way, so a gzipped pair is
 * one split, read by one task.
 */
final class IdxSource {
  /** Image bytes per split of uncompressed files. */
  static final long SPLIT_BYTES = 32L << 20;

  private IdxSource() {}

  /**
   * The blocks of {@code images}/{@code labels}, read by the executors.
   *
   * @throws DataFileException for a bad header, files that do not belong together, or an
   *     uncompressed file whose length does not match its header
   */
  static JavaRDD<SourceBlock> read(JavaSparkContext jsc, Path images, Path labels,
      int partitions, int blockRows, LabelRule labelRule) {
    Configuration conf = jsc.hadoopConfiguration();
    List<IdxSplit> splits = plan(images, labels, partitions, conf);
    SerializableConfiguration hadoop = new SerializableConfiguration(conf);
    return jsc.parallelize(splits, splits.size())
        .flatMap(s -> read(s, hadoop.value(), blockRows, labelRule));
  }

  /** Reads both headers on the driver and cuts the records into ranges. */
  static List<IdxSplit> plan(Path images, Path labels, int partitions, Configuration conf) {
    IdxReader.Header im = header(images, true, conf);
    IdxReader.Header lb = header(labels, false, conf);
    if (lb.count() != im.count()) {
      throw new DataFileException(labels.toString(), -1, -1, null, "count mismatch: "
          + lb.count() + " labels, but " + images + " has " + im.count() + " images",
          "use the labels file that belongs to these images", null);
    }
    long pixelBytes = (long) im.count() * im.pixels();
    checkLength(images, im.gzipped(), 16 + pixelBytes, "16-byte header + " + im.count()
        + " images of " + im.rows() + "x" + im.columns() + " pixels", conf);
    checkLength(labels, lb.gzipped(), 8L + lb.count(), "8-byte header + " + lb.count()
        + " labels", conf);
    int n = im.gzipped() || lb.gzipped() ? 1 : (int) Math.max(Math.min(partitions, im.count()),
        Math.min(im.count(), (pixelBytes + SPLIT_BYTES - 1) / SPLIT_BYTES));
    List<IdxSplit> splits = new ArrayList<>();
    for (int i = 0; i < Math.max(1, n); i++) {
      long from = (long) i * im.count() / Math.max(1, n);
      long to = (long) (i + 1) * im.count() / Math.max(1, n);
      splits.add(new IdxSplit(images.toString(), labels.toString(), from, (int) (to - from),
          im.count(), im.rows(), im.columns(), im.gzipped(), lb.gzipped()));
    }
    return splits;
  }

  private static IdxReader.Header header(Path p, boolean images, Configuration conf) {
    try (InputStream in = FileSystem.get(p.toUri(), conf).open(p)) {
      return IdxReader.readHeader(IdxReader.Input.open(in, p.toString()), images);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  /** An uncompressed file must be exactly as long as its header says. */
  private static void checkLength(Path p, boolean gzipped, long expected, String layout,
      Configuration conf) {
    if (gzipped) {
      return; // checked by the task that reads the end
    }
    try {
      long actual = FileSystem.get(p.toUri(), conf).getFileStatus(p).getLen();
      if (actual != expected) {
        throw IdxReader.Input.wrongLength(p.toString(), expected, actual, layout);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  /** One task: the split's records in blocks of {@code blockRows}, or the first problem. */
  static Iterator<SourceBlock> read(IdxSplit s, Configuration conf, int blockRows,
      LabelRule labelRule) throws IOException {
    List<SourceBlock> out = new ArrayList<>();
    long imagesStart = 16L + s.first() * s.pixels();
    long labelsStart = 8L + s.first();
    try (InputStream im = openAt(s.images(), s.imagesGzipped(), imagesStart, conf);
        InputStream lb = openAt(s.labels(), s.labelsGzipped(), labelsStart, conf)) {
      IdxReader.Input images = input(s.images(), s.imagesGzipped(), imagesStart,
          s.imagesLayout(), im);
      IdxReader.Input labels = input(s.labels(), s.labelsGzipped(), labelsStart,
          s.labelsLayout(), lb);
      for (int done = 0; done < s.count(); ) {
        int rows = Math.min(blockRows, s.count() - done);
        float[] x = new float[rows * s.pixels()];
        float[] y = new float[rows];
        images.readPixels(x, 0, x.length, s.imagesLayout());
        labels.readLabels(y, 0, rows, s.labelsLayout());
        for (int k = 0; k < rows; k++) {
          String problem = labelRule.problem(y[k]);
          if (problem != null) {
            return List.of(SourceBlock.error(new DataError(s.labels(), -1, -1,
                s.first() + done + k + 1, -1, null, problem, null))).iterator();
          }
          y[k] = labelRule.apply(y[k]);
        }
        out.add(new SourceBlock(false, new DenseBlock(rows, s.pixels(), x, y)));
        done += rows;
      }
      if (s.last()) {
        images.expectEnd(s.imagesLayout());
        labels.expectEnd(s.labelsLayout());
      }
    } catch (DataFileException e) { // a truncated or corrupt gzip stream
      return List.of(SourceBlock.error(new DataError(e.file(), -1, -1, -1, -1, e.token(),
          e.problem(), e.hint()))).iterator();
    }
    return out.iterator();
  }

  /** Opens a file at a split's first record (at its beginning when gzipped). */
  private static InputStream openAt(String file, boolean gzipped, long start, Configuration conf)
      throws IOException {
    Path p = new Path(file);
    FSDataInputStream in = FileSystem.get(p.toUri(), conf).open(p);
    if (!gzipped) {
      in.seek(start);
    }
    return in;
  }

  /** The IDX stream of an opened file, at the split's first record. */
  private static IdxReader.Input input(String file, boolean gzipped, long start, String layout,
      InputStream raw) throws IOException {
    if (!gzipped) {
      return IdxReader.Input.positioned(raw, file, start);
    }
    IdxReader.Input in = IdxReader.Input.open(raw, file);
    in.skip(start, layout);
    return in;
  }
}
