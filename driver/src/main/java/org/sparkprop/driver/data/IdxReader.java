package org.sparkprop.driver.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.sparkprop.core.data.DenseBlock;

/**
 * Reads MNIST-style IDX files (MNIST, Fashion-MNIST, EMNIST): an images file and a labels file,
 * plain or gzipped.
 *
 * <p>Images: big-endian int32 magic 2051 (unsigned bytes, 3 dimensions), count, rows, columns,
 * then {@code count * rows * columns} pixel bytes. Labels: magic 2049 (unsigned bytes, 1
 * dimension), count, then {@code count} label bytes. The result has one row per image with
 * {@code rows * columns} features scaled to [0, 1] ({@code pixel / 255f}) and the label as a float
 * class index. A stream that starts with the gzip magic bytes is gunzipped transparently.
 *
 * <p>Problems with the files are reported as {@link DataFileException}s naming the file: a wrong
 * magic number (for instance images and labels swapped), a truncated or over-long file, counts that
 * differ between the two files.
 */
public final class IdxReader {
  /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
  public static final int IMAGES_MAGIC = 0x0803;
  /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
  public static final int LABELS_MAGIC = 0x0801;

  private static final int BUFFER_SIZE = 1 << 16;
  private static final float[] PIXEL_SCALE = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      PIXEL_SCALE[i] = i / 255f;
    }
  }

  private IdxReader() {}

  /** Reads local files; see {@link #read(InputStream, InputStream, String, String)}. */
  public static DenseBlock read(Path images, Path labels) throws IOException {
    try (InputStream imageStream = Files.newInputStream(images);
        InputStream labelStream = Files.newInputStream(labels)) {
      return read(imageStream, labelStream, images.toString(), labels.toString());
    }
  }

  /**
   * Reads an images stream and a labels stream into one dense block. The streams are read to
   * their end but not closed.
   *
   * @param imagesName the images file's name, for error messages
   * @param labelsName the labels file's name, for error messages
   * @throws DataFileException if a file is not a valid IDX file of the expected kind, or the files
   *     do not match
   * @throws IOException if reading fails
   */
  public static DenseBlock read(
      InputStream images, InputStream labels, String imagesName, String labelsName)
      throws IOException {
    Input imageInput = Input.open(images, imagesName);
    imageInput.expectMagic(IMAGES_MAGIC, "images", LABELS_MAGIC);
    int count = imageInput.readDimension("image count", true);
    int rows = imageInput.readDimension("row count", false);
    int columns = imageInput.readDimension("column count", false);
    long pixelsPerImage = (long) rows * columns;
    long totalPixels = count * pixelsPerImage;
    if (totalPixels > Integer.MAX_VALUE - 8) {
      throw imageInput.error(
          count + " images of " + rows + "x" + columns + " pixels are too many for one block ("
              + totalPixels + " values)",
          "split the file");
    }
    String layout = "16-byte header + " + count + " images of " + rows + "x" + columns + " pixels";
    float[] features = new float[(int) totalPixels];
    imageInput.readPixels(features, layout);
    imageInput.expectEnd(layout);

    Input labelInput = Input.open(labels, labelsName);
    labelInput.expectMagic(LABELS_MAGIC, "labels", IMAGES_MAGIC);
    int labelCount = labelInput.readDimension("label count", true);
    if (labelCount != count) {
      throw labelInput.error(
          "count mismatch: " + labelCount + " labels, but " + imagesName + " has " + count
              + " images",
          "use the labels file that belongs to these images");
    }
    String labelLayout = "8-byte header + " + count + " labels";
    float[] labelValues = new float[count];
    labelInput.readLabels(labelValues, labelLayout);
    labelInput.expectEnd(labelLayout);
    return new DenseBlock(count, (int) pixelsPerImage, features, labelValues);
  }

  /** The header of an IDX file: its record count and, for images, their rows and columns. */
  public record Header(int count, int rows, int columns, boolean gzipped) implements
      java.io.Serializable {
    /** Pixels of one image. */
    public int pixels() {
      return rows * columns;
    }
  }

  /**
   * Reads and checks the header of an images file ({@code images}) or a labels file, leaving
   * {@code stream} at its first record.
   */
  public static Header readHeader(Input stream, boolean images) throws IOException {
    if (images) {
      stream.expectMagic(IMAGES_MAGIC, "images", LABELS_MAGIC);
      int count = stream.readDimension("image count", true);
      int rows = stream.readDimension("row count", false);
      int columns = stream.readDimension("column count", false);
      return new Header(count, rows, columns, stream.gzipped);
    }
    stream.expectMagic(LABELS_MAGIC, "labels", IMAGES_MAGIC);
    return new Header(stream.readDimension("label count", true), 1, 1, stream.gzipped);
  }

  /** Bytes of an IDX file's header: 16 for images, 8 for labels. */
  public static int headerBytes(boolean images) {
    return images ? 16 : 8;
  }

  /** One IDX stream with its name and the number of (uncompressed) bytes consumed. */
  public static final class Input {
    private final InputStream in;
    private final String name;
    private final boolean gzipped;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private long position;

    private Input(InputStream in, String name, boolean gzipped) {
      this.in = in;
      this.name = name;
      this.gzipped = gzipped;
    }

    /** Opens {@code raw}, gunzipping it when it starts with the gzip magic bytes. */
    public static Input open(InputStream raw, String name) throws IOException {
      BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_SIZE);
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return new Input(new GZIPInputStream(buffered, BUFFER_SIZE), name, true);
      }
      return new Input(buffered, name, false);
    }

    /**
     * A plain (not gzipped) stream already positioned at byte {@code position} of the file, for
     * a split that starts mid-file: no gzip detection there, where any two bytes may occur.
     */
    public static Input positioned(InputStream raw, String name, long position) {
      Input input = new Input(new BufferedInputStream(raw, BUFFER_SIZE), name, false);
      input.position = position;
      return input;
    }

    /**
     * The error of a file whose length does not match its header: shorter (truncated) or
     * longer; {@code layout} describes what the header promises.
     */
    public static DataFileException wrongLength(String name, long expected, long actual,
        String layout) {
      Input probe = new Input(InputStream.nullInputStream(), name, false);
      if (actual < expected) {
        return probe.truncated(expected, actual, layout);
      }
      return probe.error("file is longer than its header says: expected " + expected
          + " bytes (" + layout + ")", "the file is damaged or not an IDX file; re-download it");
    }

    void expectMagic(int expected, String kind, int other) throws IOException {
      int magic = readInt();
      if (magic == expected) {
        return;
      }
      String problem =
          "bad magic number " + magic + " (0x" + Integer.toHexString(magic) + "): an IDX " + kind
              + " file starts with " + expected;
      if (magic == other) {
        String otherKind = kind.equals("images") ? "labels" : "images";
        throw error(
            problem + "; this looks like the " + otherKind + " file",
            "check that the images and labels files are not swapped");
      }
      throw error(problem, "check that this is an uncompressed or gzipped IDX " + kind + " file");
    }

    int readDimension(String what, boolean zeroAllowed) throws IOException {
      int value = readInt();
      if (value < 0 || (value == 0 && !zeroAllowed)) {
        throw error("bad " + what + " " + value + " in the header", "the file is damaged");
      }
      return value;
    }

    private int readInt() throws IOException {
      int n = fill(buffer, 4);
      if (n == 0 && position == 0) {
        throw error("file is empty", "re-download the file");
      }
      if (n < 4) {
        throw truncated(position + 4, position + n, "header");
      }
      position += 4;
      return ((buffer[0] & 0xff) << 24)
          | ((buffer[1] & 0xff) << 16)
          | ((buffer[2] & 0xff) << 8)
          | (buffer[3] & 0xff);
    }

    /** Skips {@code n} bytes (records before a split's first), reporting a short file. */
    public void skip(long n, String layout) throws IOException {
      long expected = position + n;
      while (position < expected) {
        int r = fill(buffer, (int) Math.min(buffer.length, expected - position));
        if (r == 0) {
          throw truncated(expected, position, layout);
        }
        position += r;
      }
    }

    /** Bytes consumed so far (after gunzip). */
    public long position() {
      return position;
    }

    void readPixels(float[] out, String layout) throws IOException {
      readPixels(out, 0, out.length, layout);
    }

    /** Reads {@code len} pixel bytes scaled to [0, 1] into {@code out[from ..]}. */
    public void readPixels(float[] out, int from, int len, String layout) throws IOException {
      long expected = position + len;
      int done = 0;
      while (done < len) {
        int n = fill(buffer, Math.min(buffer.length, len - done));
        for (int k = 0; k < n; k++) {
          out[from + done + k] = PIXEL_SCALE[buffer[k] & 0xff];
        }
        done += n;
        position += n;
        if (n == 0) {
          throw truncated(expected, position, layout);
        }
      }
    }

    void readLabels(float[] out, String layout) throws IOException {
      readLabels(out, 0, out.length, layout);
    }

    /** Reads {@code len} label bytes as class indices into {@code out[from ..]}. */
    public void readLabels(float[] out, int from, int len, String layout) throws IOException {
      long expected = position + len;
      int done = 0;
      while (done < len) {
        int n = fill(buffer, Math.min(buffer.length, len - done));
        for (int k = 0; k < n; k++) {
          out[from + done + k] = buffer[k] & 0xff;
        }
        done += n;
        position += n;
        if (n == 0) {
          throw truncated(expected, position, layout);
        }
      }
    }

    /** Checks that nothing follows the last record. */
    public void expectEnd(String layout) throws IOException {
      int n = fill(buffer, 1);
      if (n > 0) {
        throw error(
            "file is longer than its header says: expected " + position + " bytes (" + layout
                + ")" + (gzipped ? " after gunzip" : ""),
            "the file is damaged or not an IDX file; re-download it");
      }
    }

    /** Reads up to {@code len} bytes into {@code b}; fewer only at the end of the data. */
    private int fill(byte[] b, int len) throws IOException {
      int n = 0;
      try {
        while (n < len) {
          int r = in.read(b, n, len - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
      } catch (EOFException e) {
        // GZIPInputStream: the compressed data ends early; treat like a short file.
        return n;
      } catch (ZipException e) {
        throw new DataFileException(
            name, -1, -1, null, "corrupt gzip data (" + e.getMessage() + ")",
            "re-download the file", e);
      }
      return n;
    }

    DataFileException truncated(long expected, long got, String layout) {
      return error(
          "truncated file: expected " + expected + " bytes, got " + got + " (" + layout + ")"
              + (gzipped ? " after gunzip" : ""),
          "re-download the file");
    }

    DataFileException error(String problem, String hint) {
      return new DataFileException(name, -1, -1, null, problem, hint, null);
    }
  }
}
