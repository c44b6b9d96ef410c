package org.sparkprop.core.model;

import java.util.Arrays;

/**
 * The non-zero entries of a dense row-major batch, in CSR form, with the set of columns that
 * have any: the input of the zero-skipping first layer ({@link Network}). MNIST pixels, for
 * example, are about 81 % zeros, and a batch of 256 images touches about 560 of the 784 columns.
 *
 * <p>One instance per thread ({@link #forThread}); its arrays grow to the largest batch seen and
 * are reused.
 */
final class NonZeros {

  /**
   * Highest fraction of non-zeros at which the first layer skips zeros instead of running the
   * dense GEMMs. Measured on W1 (784-256-10, batch 256, one thread, MNIST's 19 % non-zeros): the
   * whole gradient takes 2.8 ms skipping zeros against 2.95 ms with the GEMMs; the zero-skipping
   * passes cost about 1.85 ms plus 0.2 ms to collect the non-zeros, against 2.6 ms of GEMMs, and
   * their cost grows with the density, so the two break even near 25 %. The kernels are bound by
   * moving a 1 KB weight row per non-zero through L2, not by arithmetic.
   */
  static final double MAX_DENSITY = 0.25;

  /**
   * Most rows a batch may have to skip zeros. The GEMMs get more efficient with more rows and
   * the zero-skipping loops do not. On W1's model, one thread, real MNIST rows, skipping zeros
   * against the GEMMs: 64 rows 0.78 against 0.95 ms, 256 rows 2.63 – 2.86 against 2.88 – 2.96 ms,
   * 384 rows even, and from 512 rows the GEMMs won by 8 – 13 % (1024: 12.5 against 11.0 ms;
   * 2048: 23.7 against 21.7 ms).
   */
  static final int MAX_ROWS = 256;

  private static final ThreadLocal<NonZeros> CACHE = ThreadLocal.withInitial(NonZeros::new);

  int numRows;
  int numFeatures;
  /** Row r's non-zeros are {@code [rowStart[r], rowStart[r + 1])}. */
  int[] rowStart = new int[1];
  int[] columns = new int[0];
  float[] values = new float[0];
  /** {@code touched[c]}: column c has a non-zero in this batch. */
  boolean[] touched = new boolean[0];

  private NonZeros() {}

  /**
   * Largest first layer (inputs x outputs) that skips zeros: the path keeps two heap copies of
   * W_0 per thread (its rows and its gradient's), 16 MB each at this size.
   */
  static final long MAX_FIRST_LAYER = 1L << 22;

  /** Drops the calling thread's instance (its arrays are as large as its largest batch). */
  static void clearThread() {
    CACHE.remove();
  }

  /** The calling thread's instance. */
  static NonZeros forThread() {
    return CACHE.get();
  }

  /**
   * Collects the non-zeros of the {@code n x d} row-major {@code x}, unless there are more than
   * {@link #MAX_DENSITY} of {@code n * d}.
   *
   * @return false, with the contents unspecified, if the batch is too dense to skip zeros
   */
  boolean collect(float[] x, int n, int d) {
    long cells = (long) n * d;
    int max = (int) Math.min(Integer.MAX_VALUE - 8, (long) (MAX_DENSITY * cells));
    if (rowStart.length < n + 1) {
      rowStart = new int[n + 1];
    }
    // room for a whole row past the limit: the row loop writes before it counts
    int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) max + d);
    if (columns.length < capacity) {
      columns = new int[capacity];
      values = new float[capacity];
    }
    if (touched.length < d) {
      touched = new boolean[d];
    } else {
      Arrays.fill(touched, 0, d, false);
    }
    int k = 0;
    for (int r = 0; r < n; r++) {
      if (k > max) {
        return false;
      }
      int off = r * d;
      for (int c = 0; c < d; c++) {
        float v = x[off + c];
        // written unconditionally, kept by advancing k: no branch to mispredict per entry
        columns[k] = c;
        values[k] = v;
        k += v != 0f ? 1 : 0;
      }
      rowStart[r + 1] = k;
    }
    if (k > max) {
      return false;
    }
    for (int i = 0; i < k; i++) {
      touched[columns[i]] = true;
    }
    numRows = n;
    numFeatures = d;
    return true;
  }
}
