package org.sparkprop.examples.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.data.RowSink;
import org.sparkprop.core.data.SparseBlock;
import org.sparkprop.core.model.Activation;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.OutputLoss;
import org.sparkprop.core.runtime.NativeThreads;

/** Deterministic inputs shared by the benchmarks: every array depends on its seed only. */
final class BenchData {
  /** MNIST's row width. */
  static final int MNIST_FEATURES = 784;

  /** Fraction of non-zero pixels in the MNIST-like rows (MNIST's training set: about 19 %). */
  static final double MNIST_DENSITY = 0.19;

  private BenchData() {}

  /** The W1 model: MLP 784-256-10 ReLU, softmax cross-entropy (203,530 parameters). */
  static ModelSpec w1Spec() {
    return ModelSpec.mlp(
        MNIST_FEATURES, new int[] {256}, Activation.RELU, 10, OutputLoss.SOFTMAX_CROSS_ENTROPY);
  }

  /**
   * Caps ND4J's native threads as a training task does ({@code spark.native_threads}, default one
   * per task slot): {@code OMP_NUM_THREADS} when set, else 1.
   */
  static void configureNativeThreads() {
    String env = System.getenv("OMP_NUM_THREADS");
    int threads = 1;
    if (env != null && !env.isBlank()) {
      try {
        threads = Integer.parseInt(env.trim());
      } catch (NumberFormatException e) {
        threads = 1;
      }
    }
    NativeThreads.configure(threads);
  }

  /** One MNIST-like row into {@code x}: about 81 % zeros, the rest uniform in (0, 1]. */
  private static void mnistRow(SplittableRandom random, float[] x) {
    for (int j = 0; j < x.length; j++) {
      x[j] = random.nextDouble() < MNIST_DENSITY ? (float) (1.0 - random.nextDouble()) : 0f;
    }
  }

  /** {@code rows} MNIST-like rows (784 wide) with class labels 0..9, in one dense block. */
  static DenseBlock mnistLike(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    RowSink sink = RowSink.dense(MNIST_FEATURES);
    float[] x = new float[MNIST_FEATURES];
    for (int i = 0; i < rows; i++) {
      mnistRow(random, x);
      sink.addDense(x, random.nextInt(10));
    }
    return (DenseBlock) sink.finish();
  }

  /**
   * {@code rows} MNIST-like rows packed, as the data loader does, into dense blocks of at most
   * {@code blockRows} rows.
   */
  static DenseBlock[] mnistLikeBlocks(int rows, int blockRows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    RowSink sink = RowSink.dense(MNIST_FEATURES);
    float[] x = new float[MNIST_FEATURES];
    DenseBlock[] blocks = new DenseBlock[(rows + blockRows - 1) / blockRows];
    for (int b = 0; b < blocks.length; b++) {
      int n = Math.min(blockRows, rows - b * blockRows);
      for (int i = 0; i < n; i++) {
        mnistRow(random, x);
        sink.addDense(x, random.nextInt(10));
      }
      blocks[b] = (DenseBlock) sink.finish();
    }
    return blocks;
  }

  /**
   * {@code rows} sparse rows over {@code features} columns, each with exactly {@code nnz} distinct
   * columns drawn uniformly (sorted, as CSR requires) and values uniform in (0, 1]; labels are
   * uniform class indices in {@code [0, classes)}.
   */
  static SparseBlock sparseRows(int rows, int features, int nnz, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    RowSink sink = RowSink.sparse(features);
    int[] idx = new int[nnz];
    float[] val = new float[nnz];
    for (int i = 0; i < rows; i++) {
      distinctSorted(random, features, idx);
      for (int k = 0; k < nnz; k++) {
        val[k] = (float) (1.0 - random.nextDouble());
      }
      sink.addSparse(idx, val, nnz, random.nextInt(classes));
    }
    return (SparseBlock) sink.finish();
  }

  /** Fills {@code out} with distinct values of {@code [0, bound)}, ascending. */
  private static void distinctSorted(SplittableRandom random, int bound, int[] out) {
    int filled = 0;
    while (filled < out.length) {
      int c = random.nextInt(bound);
      boolean seen = false;
      for (int k = 0; k < filled; k++) {
        if (out[k] == c) {
          seen = true;
          break;
        }
      }
      if (!seen) {
        out[filled++] = c;
      }
    }
    Arrays.sort(out);
  }

  /** {@code n} floats uniform in {@code [-scale, scale)}. */
  static float[] uniform(int n, double scale, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (scale * (2 * random.nextDouble() - 1));
    }
    return a;
  }
}
