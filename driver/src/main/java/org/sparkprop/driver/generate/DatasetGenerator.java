package org.sparkprop.driver.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sparkprop.driver.generate.GenerateOptions.Format;
import org.sparkprop.driver.generate.GenerateOptions.Kind;

/**
 * Writes synthetic datasets with a known ground truth, for tests, benchmarks and examples.
 *
 * <p>Features are N(0, 1), rounded to 6 significant digits. Dense rows have all D features;
 * sparse rows ({@code nnz = M}) have M distinct columns chosen uniformly at random, written in
 * ascending order. Labels come from a ground truth drawn from the seed (see {@link
 * GenerateOptions.Kind}), computed from the feature values exactly as a reader parses them, so a
 * model of the right family can fit the data up to the label noise: a logistic model reaches
 * about {@code 1 - noise} accuracy on {@code --kind logistic}. The ground truth has no bias term.
 *
 * <p>Output is streamed row by row through a large buffer, so any number of rows takes constant
 * memory (plus the ground-truth weights). The same options give byte-identical files on every JVM
 * and in every locale: all randomness comes from {@link SplittableRandom} streams split off the
 * seed in a fixed order (ground truth, training rows, test rows; within a split, features and
 * label noise separately, so changing {@code --noise} changes labels only), and numbers are
 * formatted by integer arithmetic.
 *
 * <p>Files are written to {@code PATH.tmp} and renamed to {@code PATH} when complete. With {@code
 * testRows > 0} a test file from the same ground truth goes to {@link #testPath(Path)}.
 */
public final class DatasetGenerator {
  private static final int BUFFER_SIZE = 1 << 20;

  /** What one {@link #write} call produced. */
  public record Summary(
      Path out, long rows, long bytes, Path testOut, long testRows, long testBytes,
      double seconds) {

    /** One line for the console, e.g. {@code wrote 1000 rows (52.1 KB) to a.libsvm in 0.1 s}. */
    public String describe() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "wrote %d rows (%s) to %s", rows, size(bytes), out));
      if (testOut != null) {
        sb.append(
            String.format(
                Locale.ROOT, " and %d rows (%s) to %s", testRows, size(testBytes), testOut));
      }
      double mb = (bytes + testBytes) / 1e6;
      double rate = seconds > 0 ? mb / seconds : 0;
      sb.append(String.format(Locale.ROOT, " in %.2f s (%.1f MB/s)", seconds, rate));
      return sb.toString();
    }

    private static String size(long bytes) {
      if (bytes < 10_000) {
        return bytes + " B";
      }
      if (bytes < 10_000_000) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
      }
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
  }

  private final GenerateOptions opts;
  private final Teacher teacher;
  private final int[] columns;
  private final int[] mantissas;
  private final int[] powers;
  private final float[] values;
  private final long[] bitset;

  private DatasetGenerator(GenerateOptions opts, SplittableRandom weightRandom) {
    this.opts = opts;
    this.teacher = new Teacher(opts, new Gaussian(weightRandom));
    int width = opts.sparse() ? opts.nnz() : opts.features();
    this.columns = new int[width];
    this.mantissas = new int[width];
    this.powers = new int[width];
    this.values = new float[width];
    boolean rejection = opts.sparse() && 2L * opts.nnz() <= opts.features();
    this.bitset = rejection ? new long[(opts.features() + 63) >>> 6] : null;
    if (!opts.sparse()) {
      for (int j = 0; j < width; j++) {
        columns[j] = j;
      }
    }
  }

  /**
   * Writes the training file to {@code out} and, with {@code testRows > 0}, the test file to
   * {@link #testPath(Path) testPath(out)}; parent directories are created and existing files
   * replaced.
   *
   * @throws UncheckedIOException if writing fails (no partial file is left under the final name)
   */
  public static Summary write(GenerateOptions opts, Path out) {
    long start = System.nanoTime();
    SplittableRandom root = new SplittableRandom(opts.seed());
    SplittableRandom weightRandom = root.split();
    SplittableRandom trainRandom = root.split();
    SplittableRandom testRandom = root.split();
    DatasetGenerator generator = new DatasetGenerator(opts, weightRandom);
    try {
      long bytes = generator.writeFile(out, opts.rows(), trainRandom);
      Path testOut = null;
      long testBytes = 0;
      if (opts.testRows() > 0) {
        testOut = testPath(out);
        testBytes = generator.writeFile(testOut, opts.testRows(), testRandom);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Summary(out, opts.rows(), bytes, testOut, opts.testRows(), testBytes, seconds);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the training rows (and the CSV header when asked for) to a stream, which is not
   * closed; returns the number of bytes. The bytes equal those of the training file that {@link
   * #write} makes with the same options.
   */
  public static long writeTo(GenerateOptions opts, OutputStream out) throws IOException {
    SplittableRandom root = new SplittableRandom(opts.seed());
    SplittableRandom weightRandom = root.split();
    SplittableRandom trainRandom = root.split();
    return new DatasetGenerator(opts, weightRandom).writeRows(out, opts.rows(), trainRandom);
  }

  /**
   * The test file's path: {@code .test} inserted before the file name's extension
   * ({@code data/train.libsvm -> data/train.test.libsvm}), or appended when there is none
   * ({@code data/train -> data/train.test}).
   */
  public static Path testPath(Path out) {
    String name = out.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String testName =
        dot <= 0 ? name + ".test" : name.substring(0, dot) + ".test" + name.substring(dot);
    return out.resolveSibling(testName);
  }

  private long writeFile(Path out, long rows, SplittableRandom random) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    long bytes;
    try {
      try (OutputStream stream = Files.newOutputStream(tmp)) {
        bytes = writeRows(stream, rows, random);
      }
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return bytes;
  }

  private long writeRows(OutputStream stream, long rows, SplittableRandom random)
      throws IOException {
    SplittableRandom featureRandom = random.split();
    Gaussian featureGaussian = new Gaussian(featureRandom);
    Gaussian noiseGaussian = new Gaussian(random.split());
    AsciiOut out = new AsciiOut(stream, BUFFER_SIZE);
    if (opts.header()) {
      out.writeAscii("label");
      for (int j = 1; j <= opts.features(); j++) {
        out.writeAscii(",f");
        out.writeLong(j);
      }
      out.writeByte('\n');
    }
    for (long r = 0; r < rows; r++) {
      int count = drawRow(featureGaussian);
      double target = teacher.target(columns, values, count);
      writeLabel(out, label(target, noiseGaussian));
      if (opts.format() == Format.LIBSVM) {
        writeLibsvmFeatures(out, count);
      } else {
        writeCsvFeatures(out, count);
      }
      out.writeByte('\n');
    }
    out.flush();
    stream.flush();
    return out.bytesWritten();
  }

  /** Fills columns/mantissas/powers/values for one row; returns its number of entries. */
  private int drawRow(Gaussian gaussian) {
    int count = columns.length;
    if (opts.sparse()) {
      drawColumns(gaussian.random());
    }
    for (int n = 0; n < count; n++) {
      long encoded;
      do {
        encoded = Decimal6.encode(gaussian.next());
      } while (opts.sparse() && encoded == 0L); // sparse values are never zero
      int m = Decimal6.mantissa(encoded);
      int p = Decimal6.power(encoded);
      mantissas[n] = m;
      powers[n] = p;
      values[n] = Decimal6.toFloat(m, p);
    }
    return count;
  }

  /** Chooses nnz distinct columns uniformly at random, in ascending order. */
  private void drawColumns(SplittableRandom random) {
    int m = columns.length;
    int d = opts.features();
    if (bitset != null) {
      // m <= d/2: rejection sampling, each draw succeeds with probability >= 1/2.
      for (int n = 0; n < m; n++) {
        int c;
        do {
          c = random.nextInt(d);
        } while ((bitset[c >>> 6] & (1L << c)) != 0);
        bitset[c >>> 6] |= 1L << c;
        columns[n] = c;
      }
      Arrays.sort(columns, 0, m);
      for (int n = 0; n < m; n++) {
        bitset[columns[n] >>> 6] = 0L;
      }
    } else {
      // m > d/2: selection sampling (Knuth's algorithm S), already in order.
      int chosen = 0;
      for (int c = 0; c < d && chosen < m; c++) {
        if (random.nextInt(d - c) < m - chosen) {
          columns[chosen++] = c;
        }
      }
    }
  }

  /** Applies the label noise to the noiseless target. */
  private double label(double target, Gaussian noise) {
    Kind kind = opts.kind();
    if (kind == Kind.LINEAR) {
      return target + opts.noise() * noise.next();
    }
    SplittableRandom random = noise.random();
    boolean flip = random.nextDouble() < opts.noise();
    if (kind == Kind.LOGISTIC) {
      int y = target > 0 ? 1 : 0;
      return flip ? 1 - y : y;
    }
    int classes = opts.classes();
    int y = (int) target;
    int other = (y + 1 + random.nextInt(classes - 1)) % classes;
    return flip ? other : y;
  }

  private void writeLabel(AsciiOut out, double label) throws IOException {
    if (opts.kind().isClassification()) {
      out.writeLong((long) label);
    } else {
      long encoded = Decimal6.encode(label);
      out.writeDecimal(Decimal6.mantissa(encoded), Decimal6.power(encoded));
    }
  }

  private void writeLibsvmFeatures(AsciiOut out, int count) throws IOException {
    for (int n = 0; n < count; n++) {
      if (mantissas[n] == 0) {
        continue; // a dense feature that rounded to zero
      }
      out.writeByte(' ');
      out.writeLong(columns[n] + 1L);
      out.writeByte(':');
      out.writeDecimal(mantissas[n], powers[n]);
    }
  }

  private void writeCsvFeatures(AsciiOut out, int count) throws IOException {
    int next = 0;
    for (int j = 0; j < opts.features(); j++) {
      out.writeByte(',');
      if (next < count && columns[next] == j) {
        out.writeDecimal(mantissas[next], powers[next]);
        next++;
      } else {
        out.writeByte('0');
      }
    }
  }
}
