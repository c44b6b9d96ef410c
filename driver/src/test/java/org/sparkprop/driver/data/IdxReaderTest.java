package org.sparkprop.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.core.data.DenseBlock;

class IdxReaderTest {
  private static final int COUNT = 3;
  private static final int ROWS = 2;
  private static final int COLS = 3;

  /** Pixel k of image i is (i * 6 + k) * 10, labels are 7, 0, 9. */
  static byte[] images(int magic, int count, int rows, int cols, int pixelsToWrite)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    out.writeInt(count);
    out.writeInt(rows);
    out.writeInt(cols);
    for (int p = 0; p < pixelsToWrite; p++) {
      out.writeByte((p * 10) & 0xff);
    }
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] images() throws IOException {
    return images(2051, COUNT, ROWS, COLS, COUNT * ROWS * COLS);
  }

  static byte[] labels(int magic, int... values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    out.writeInt(values.length);
    for (int v : values) {
      out.writeByte(v);
    }
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] labels() throws IOException {
    return labels(2049, 7, 0, 9);
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  static DenseBlock read(byte[] images, byte[] labels) throws IOException {
    return IdxReader.read(
        new ByteArrayInputStream(images), new ByteArrayInputStream(labels), "img.idx", "lbl.idx");
  }

  static DataFileException fails(byte[] images, byte[] labels) {
    return assertThrows(DataFileException.class, () -> read(images, labels));
  }

  private static void check(DenseBlock block) {
    assertEquals(COUNT, block.numRows());
    assertEquals(ROWS * COLS, block.numFeatures());
    assertArrayEquals(new float[] {7f, 0f, 9f}, block.labels());
    float[] x = block.features();
    for (int p = 0; p < x.length; p++) {
      assertEquals(((p * 10) & 0xff) / 255f, x[p], "pixel " + p);
      assertTrue(x[p] >= 0f && x[p] <= 1f);
    }
  }

  @Test
  void readsPlainFiles() throws IOException {
    check(read(images(), labels()));
  }

  @Test
  void readsGzippedFiles() throws IOException {
    check(read(gzip(images()), gzip(labels())));
    check(read(gzip(images()), labels()));
  }

  @Test
  void readsLocalPaths(@TempDir Path dir) throws IOException {
    Path im = dir.resolve("train-images-idx3-ubyte.gz");
    Path lb = dir.resolve("train-labels-idx1-ubyte");
    Files.write(im, gzip(images()));
    Files.write(lb, labels());
    check(IdxReader.read(im, lb));
  }

  @Test
  void readsLargerThanTheBuffer() throws IOException {
    int count = 200;
    byte[] im = images(2051, count, 28, 28, count * 28 * 28);
    int[] y = new int[count];
    Arrays.setAll(y, i -> i % 10);
    DenseBlock block = read(gzip(im), labels(2049, y));
    assertEquals(count, block.numRows());
    assertEquals(784, block.numFeatures());
    int last = count * 784 - 1;
    assertEquals(((last * 10) & 0xff) / 255f, block.features()[last]);
    assertEquals(9f, block.label(199));
  }

  @Test
  void badMagic() throws IOException {
    DataFileException e = fails(images(1234, COUNT, ROWS, COLS, 18), labels());
    assertEquals("img.idx", e.file());
    assertTrue(e.getMessage().startsWith("img.idx: bad magic number 1234"), e.getMessage());
    assertTrue(e.getMessage().contains("2051"), e.getMessage());
  }

  @Test
  void swappedFiles() throws IOException {
    DataFileException e =
        assertThrows(
            DataFileException.class,
            () ->
                IdxReader.read(
                    new ByteArrayInputStream(labels()),
                    new ByteArrayInputStream(images()),
                    "train-labels",
                    "train-images"));
    assertTrue(e.getMessage().contains("train-labels: bad magic number 2049"), e.getMessage());
    assertTrue(e.getMessage().contains("swapped"), e.getMessage());
  }

  @Test
  void truncatedImages() throws IOException {
    DataFileException e = fails(images(2051, COUNT, ROWS, COLS, 10), labels());
    assertTrue(
        e.getMessage().contains("img.idx: truncated file: expected 34 bytes, got 26"),
        e.getMessage());
    DataFileException gz = fails(gzip(images(2051, COUNT, ROWS, COLS, 10)), labels());
    assertTrue(gz.getMessage().contains("expected 34 bytes, got 26"), gz.getMessage());
    assertTrue(gz.getMessage().contains("after gunzip"), gz.getMessage());
  }

  @Test
  void truncatedGzipStream() throws IOException {
    byte[] gz = gzip(images(2051, 50, 28, 28, 50 * 784));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    DataFileException e = fails(cut, labels());
    assertTrue(e.getMessage().contains("truncated file"), e.getMessage());
  }

  @Test
  void truncatedHeaderAndEmptyFile() throws IOException {
    byte[] header = Arrays.copyOf(images(), 9);
    DataFileException e = fails(header, labels());
    assertTrue(e.getMessage().contains("truncated file: expected 12 bytes, got 9"), e.getMessage());
    DataFileException empty = fails(new byte[0], labels());
    assertTrue(empty.getMessage().contains("img.idx: file is empty"), empty.getMessage());
  }

  @Test
  void truncatedLabels() throws IOException {
    byte[] lb = Arrays.copyOf(labels(), 10);
    DataFileException e = fails(images(), lb);
    assertEquals("lbl.idx", e.file());
    assertTrue(e.getMessage().contains("expected 11 bytes, got 10"), e.getMessage());
  }

  @Test
  void countMismatch() throws IOException {
    DataFileException e = fails(images(), labels(2049, 1, 2));
    assertEquals("lbl.idx", e.file());
    assertTrue(
        e.getMessage().contains("count mismatch: 2 labels, but img.idx has 3 images"),
        e.getMessage());
  }

  @Test
  void extraBytes() throws IOException {
    byte[] im = images(2051, COUNT, ROWS, COLS, COUNT * ROWS * COLS + 5);
    DataFileException e = fails(im, labels());
    assertTrue(e.getMessage().contains("longer than its header says"), e.getMessage());
  }

  @Test
  void badDimensions() throws IOException {
    DataFileException e = fails(images(2051, COUNT, 0, COLS, 0), labels());
    assertTrue(e.getMessage().contains("bad row count 0"), e.getMessage());
  }
}
