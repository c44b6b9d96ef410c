package org.sparkprop.driver.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.data.DataError;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.IdxReader;

/**
 * IDX files read where they live: the driver reads headers and sizes only, tasks read record
 * ranges, and the blocks hold the bytes of a whole-file read, in order.
 */
class IdxSourceTest extends SparkTestBase {
  @TempDir Path dir;
  static final ModelSpec TEN_CLASSES = ModelSpec.softmaxRegression(12, 10);

  /** An images/labels pair of {@code n} 3x4 images: pixel k of image i is (7i + k) mod 256. */
  static Path[] write(Path dir, int n, int badLabelAt, boolean gzip) throws IOException {
    ByteArrayOutputStream im = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(im);
    out.writeInt(IdxReader.IMAGES_MAGIC);
    out.writeInt(n);
    out.writeInt(3);
    out.writeInt(4);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 12; k++) {
        out.writeByte((7 * i + k) & 0xff);
      }
    }
    ByteArrayOutputStream lb = new ByteArrayOutputStream();
    DataOutputStream lo = new DataOutputStream(lb);
    lo.writeInt(IdxReader.LABELS_MAGIC);
    lo.writeInt(n);
    for (int i = 0; i < n; i++) {
      lo.writeByte(i == badLabelAt ? 42 : i % 10);
    }
    Path images = dir.resolve("images-idx3-ubyte" + (gzip ? ".gz" : ""));
    Path labels = dir.resolve("labels-idx1-ubyte" + (gzip ? ".gz" : ""));
    Files.write(images, gzip ? gz(im.toByteArray()) : im.toByteArray());
    Files.write(labels, gzip ? gz(lb.toByteArray()) : lb.toByteArray());
    return new Path[] {images, labels};
  }

  static byte[] gz(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }

  private List<SourceBlock> read(Path[] files, int partitions, int blockRows) {
    return IdxSource.read(jsc(), hadoop(files[0]), hadoop(files[1]), partitions, blockRows,
        org.sparkprop.driver.data.LabelRule.of(TEN_CLASSES,
            org.sparkprop.driver.data.LabelMap.index(10))).collect();
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toString());
  }

  private static List<DataError> errors(List<SourceBlock> blocks) {
    return blocks.stream().map(SourceBlock::error).filter(Objects::nonNull).toList();
  }

  /** The blocks' rows, concatenated in order. */
  private static DenseBlock concat(List<SourceBlock> blocks) {
    List<DenseBlock> parts = new ArrayList<>();
    int rows = 0;
    for (SourceBlock sb : blocks) {
      assertNull(sb.error());
      DenseBlock b = (DenseBlock) sb.block();
      parts.add(b);
      rows += b.numRows();
    }
    float[] x = new float[rows * 12];
    float[] y = new float[rows];
    int at = 0;
    for (DenseBlock b : parts) {
      System.arraycopy(b.features(), 0, x, at * 12, b.features().length);
      System.arraycopy(b.labels(), 0, y, at, b.numRows());
      at += b.numRows();
    }
    return new DenseBlock(rows, 12, x, y);
  }

  @Test
  void rangesReadTheSameRowsAsTheWholeFile() throws Exception {
    Path[] files = write(dir, 1003, -1, false);
    DenseBlock whole = IdxReader.read(files[0], files[1]);
    for (int partitions : new int[] {1, 2, 7}) {
      List<SourceBlock> blocks = read(files, partitions, 100);
      DenseBlock got = concat(blocks);
      assertArrayEquals(whole.features(), got.features(), partitions + " partitions");
      assertArrayEquals(whole.labels(), got.labels());
      for (SourceBlock sb : blocks) {
        assertTrue(sb.block().numRows() <= 100);
      }
    }
    assertEquals(7, IdxSource.plan(hadoop(files[0]), hadoop(files[1]), 7, new Configuration())
        .size());
  }

  @Test
  void gzippedFilesAreOneSplitWithTheSameRows() throws Exception {
    Path[] files = write(dir, 257, -1, true);
    assertEquals(1, IdxSource.plan(hadoop(files[0]), hadoop(files[1]), 4, new Configuration())
        .size());
    DenseBlock whole = IdxReader.read(files[0], files[1]);
    assertArrayEquals(whole.features(), concat(read(files, 4, 50)).features());
  }

  @Test
  void aBadLabelIsAValueNamingItsRecord() throws Exception {
    Path[] files = write(dir, 500, 377, false);
    List<DataError> errors = errors(read(files, 3, 64));
    assertEquals(1, errors.size());
    String message = errors.get(0).toException().getMessage();
    assertTrue(message.contains("labels-idx1-ubyte: record 378: "), message);
  }

  @Test
  void aTruncatedFileIsFoundOnTheDriverFromItsSize() throws Exception {
    Path[] files = write(dir, 100, -1, false);
    byte[] b = Files.readAllBytes(files[0]);
    Files.write(files[0], Arrays.copyOf(b, b.length - 10));
    DataFileException e = assertThrows(DataFileException.class, () -> read(files, 2, 64));
    assertTrue(e.getMessage().contains("truncated file: expected 1216 bytes, got 1206"),
        e.getMessage());
  }

  @Test
  void aTruncatedGzipStreamIsAValueFromTheTaskThatReadsIt() throws Exception {
    Path[] files = write(dir, 100, -1, true);
    ByteArrayOutputStream im = new ByteArrayOutputStream();
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(files[0]))) {
      in.transferTo(im);
    }
    Files.write(files[0], gz(Arrays.copyOf(im.toByteArray(), im.size() - 30)));
    List<DataError> errors = errors(read(files, 2, 64));
    assertEquals(1, errors.size());
    String message = errors.get(0).toException().getMessage();
    assertTrue(message.contains("truncated file") && message.contains("after gunzip"), message);
  }
}
