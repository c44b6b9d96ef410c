package org.sparkprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.data.SparseBlock;

/**
 * The float path against the double path, sparse against dense, buffer reuse, threads, sizes and
 * input checks.
 */
class NetworkConsistencyTest {
  static final int IN = GradientCheckTest.IN;
  static final int ROWS = 9;

  static List<ModelSpec> specs() {
    List<ModelSpec> specs = new ArrayList<>();
    specs.add(ModelSpec.linearRegression(IN));
    specs.add(ModelSpec.logisticRegression(IN));
    specs.add(ModelSpec.softmaxRegression(IN, 3));
    for (Activation act : Activation.values()) {
      specs.add(ModelSpec.mlp(IN, new int[] {5, 4}, act, 1, OutputLoss.MSE));
      specs.add(ModelSpec.mlp(IN, new int[] {5, 4}, act, 3, OutputLoss.MSE));
      specs.add(ModelSpec.mlp(IN, new int[] {5, 4}, act, 1, OutputLoss.BINARY_CROSS_ENTROPY));
      specs.add(ModelSpec.mlp(IN, new int[] {5, 4}, act, 3, OutputLoss.SOFTMAX_CROSS_ENTROPY));
    }
    return specs;
  }

  /** The MLPs of {@link #specs()}: every activation and output head (single layers skip none). */
  static List<ModelSpec> mlpSpecs() {
    return specs().stream().filter(s -> s.kind() == ModelSpec.Kind.MLP).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void floatAgreesWithDoubleAndSparseWithDense(ModelSpec spec) {
    Network net = new Network(spec);
    float[] x = TestData.features(ROWS, IN, 0.5, 11);
    float[] y = TestData.labels(spec, ROWS, 12);
    float[] p = TestData.params(spec, 13);
    DenseBlock dense = TestData.dense(ROWS, IN, x, y);
    SparseBlock sparse = TestData.sparse(ROWS, IN, x, y);

    float[] gf = new float[p.length];
    double lf = net.gradient(p, dense, gf);
    double[] gd = new double[p.length];
    double ld = net.gradient(TestData.toDouble(p), dense, gd);
    assertEquals(ld, lf, 1e-5 * Math.abs(ld));
    TestData.assertClose("float vs double (dense)", gd, TestData.toDouble(gf), 1e-4, 1e-2);

    float[] gs = new float[p.length];
    double ls = net.gradient(p, sparse, gs);
    assertEquals(lf, ls, 1e-6 * Math.abs(lf));
    TestData.assertClose("sparse vs dense (float)", TestData.toDouble(gf), TestData.toDouble(gs), 1e-5, 1e-2);

    double[] gds = new double[p.length];
    net.gradient(TestData.toDouble(p), sparse, gds);
    TestData.assertClose("sparse vs dense (double)", gd, gds, 1e-12, 1e-6);

    float[] pd = new float[ROWS * spec.numOutputs()];
    float[] ps = new float[ROWS * spec.numOutputs()];
    net.predict(p, dense, pd);
    net.predict(p, sparse, ps);
    TestData.assertClose("predict sparse vs dense", TestData.toDouble(pd), TestData.toDouble(ps), 1e-5, 1e-2);
  }

  /**
   * An MLP skips the zeros of a mostly-zero dense batch: the same operations in the same order
   * as on the batch's CSR form, so the same bits, in float and double, for the gradient, the
   * loss, the evaluation and the predictions. Widths that are not a multiple of any vector size,
   * an all-zero row, and batch sizes that alternate (buffers reused) included.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("mlpSpecs")
  void skippingZerosGivesTheSparseBits(ModelSpec head) {
    int in = 53;
    ModelSpec spec = ModelSpec.mlp(in, new int[] {37, 6}, head.activation(), head.numOutputs(),
        head.loss());
    Network net = new Network(spec);
    float[] p = TestData.params(spec, 21);
    for (int rows : new int[] {19, 4, 19}) {
      float[] x = TestData.features(rows, in, 0.8, 22 + rows);
      Arrays.fill(x, in, 2 * in, 0f); // row 1: all zeros
      float[] y = TestData.labels(spec, rows, 23);
      DenseBlock dense = TestData.dense(rows, in, x, y);
      SparseBlock sparse = TestData.sparse(rows, in, x, y);
      assertTrue(net.skipsZeros(dense));

      float[] gDense = new float[p.length];
      float[] gSparse = new float[p.length];
      Arrays.fill(gDense, Float.NaN); // every entry is written
      assertEquals(net.gradient(p, sparse, gSparse), net.gradient(p, dense, gDense));
      assertArrayEquals(gSparse, gDense);

      double[] pd = TestData.toDouble(p);
      double[] dDense = new double[p.length];
      double[] dSparse = new double[p.length];
      Arrays.fill(dDense, Double.NaN);
      assertEquals(net.gradient(pd, sparse, dSparse), net.gradient(pd, dense, dDense));
      assertArrayEquals(dSparse, dDense);
      TestData.assertClose("float vs double", dDense, TestData.toDouble(gDense), 1e-4, 1e-2);

      EvalStats es = net.evaluate(p, sparse);
      EvalStats ed = net.evaluate(p, dense);
      assertEquals(es.lossSum(), ed.lossSum());
      assertEquals(es.correct(), ed.correct());
      float[] predSparse = new float[rows * spec.numOutputs()];
      float[] predDense = new float[rows * spec.numOutputs()];
      net.predict(p, sparse, predSparse);
      net.predict(p, dense, predDense);
      assertArrayEquals(predSparse, predDense);
    }
  }

  /**
   * Above {@link NonZeros#MAX_DENSITY} non-zeros, above {@link NonZeros#MAX_ROWS} rows, and for a
   * single layer, the GEMM path runs.
   */
  @Test
  void denseBatchesAndSingleLayersUseTheGemm() {
    ModelSpec mlp = ModelSpec.mlp(IN, new int[] {5}, Activation.RELU, 3, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    Network net = new Network(mlp);
    int rows = 10;
    float[] x = new float[rows * IN];
    float[] y = TestData.labels(mlp, rows, 1);
    int limit = (int) (NonZeros.MAX_DENSITY * (rows * IN)); // as NonZeros.collect rounds it
    for (int i = 0; i < limit; i++) {
      x[(i * 3) % x.length] = 1f + i; // 3 is prime to 70: all distinct
    }
    assertTrue(net.skipsZeros(TestData.dense(rows, IN, x, y)), "at the limit");
    for (int i = 0; i < x.length; i++) {
      if (x[i] == 0f) {
        x[i] = 0.5f; // one more non-zero than the limit
        break;
      }
    }
    assertFalse(net.skipsZeros(TestData.dense(rows, IN, x, y)), "one above the limit");
    assertFalse(net.skipsZeros(TestData.sparse(rows, IN, x, y)), "CSR input has its own path");
    ModelSpec single = ModelSpec.softmaxRegression(IN, 3);
    assertFalse(new Network(single).skipsZeros(TestData.dense(rows, IN, new float[rows * IN], y)));
    // a first layer above NonZeros.MAX_FIRST_LAYER weights: no heap copies of it
    int wide = (int) (NonZeros.MAX_FIRST_LAYER / 64) + 1;
    ModelSpec big = ModelSpec.mlp(wide, new int[] {64}, Activation.RELU, 3, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    assertFalse(new Network(big).skipsZeros(new DenseBlock(2, wide, new float[2 * wide], new float[] {0, 1})));
    ModelSpec fits = ModelSpec.mlp(wide - 1, new int[] {64}, Activation.RELU, 3, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    assertTrue(new Network(fits).skipsZeros(new DenseBlock(2, wide - 1, new float[2 * (wide - 1)], new float[] {0, 1})));
    // more than NonZeros.MAX_ROWS rows: the GEMMs are faster
    int most = NonZeros.MAX_ROWS;
    assertTrue(net.skipsZeros(TestData.dense(most, IN, new float[most * IN],
        TestData.labels(mlp, most, 2))), "at the row limit");
    assertFalse(net.skipsZeros(TestData.dense(most + 1, IN, new float[(most + 1) * IN],
        TestData.labels(mlp, most + 1, 2))), "one row above the limit");
  }

  /** Buffers are reused across calls and batch sizes without leaking state between calls. */
  @Test
  void repeatedCallsAreBitIdenticalAndOverwriteGradOut() {
    ModelSpec spec = ModelSpec.mlp(IN, new int[] {6, 5}, Activation.TANH, 3, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    Network net = new Network(spec);
    float[] p = TestData.params(spec, 1);
    float[] xa = TestData.features(8, IN, 0.5, 2);
    float[] xb = TestData.features(5, IN, 0.5, 3);
    for (boolean sparse : new boolean[] {false, true}) {
      Block a = block(sparse, 8, xa, TestData.labels(spec, 8, 4));
      Block b = block(sparse, 5, xb, TestData.labels(spec, 5, 5));
      float[] first = new float[p.length];
      double loss = net.gradient(p, a, first);
      float[] other = new float[p.length];
      for (int i = 0; i < 20; i++) {
        net.gradient(p, b, other);
        net.evaluate(p, i % 2 == 0 ? a : b);
      }
      float[] again = new float[p.length];
      Arrays.fill(again, Float.NaN);
      assertEquals(loss, net.gradient(p, a, again));
      assertArrayEquals(first, again);
      // A fresh Network of an equal spec gives the same bits (it shares this thread's buffers).
      assertEquals(loss, new Network(spec).gradient(p, a, again));
      assertArrayEquals(first, again);
      // ... and so do freshly allocated buffers.
      Network.releaseThreadBuffers();
      assertEquals(loss, net.gradient(p, a, again));
      assertArrayEquals(first, again);
    }
  }

  /** Task threads compute concurrently; each result equals the single-threaded one, bit for bit. */
  @Test
  void concurrentThreadsGiveTheSameBits() throws Exception {
    List<ModelSpec> specs = List.of(
        ModelSpec.mlp(IN, new int[] {8}, Activation.RELU, 3, OutputLoss.SOFTMAX_CROSS_ENTROPY),
        ModelSpec.logisticRegression(IN),
        ModelSpec.mlp(IN, new int[] {6, 4}, Activation.SIGMOID, 1, OutputLoss.MSE));
    int tasks = 12;
    Block[] batches = new Block[tasks];
    float[][] params = new float[tasks][];
    float[][] expected = new float[tasks][];
    double[] expectedLoss = new double[tasks];
    for (int t = 0; t < tasks; t++) {
      ModelSpec spec = specs.get(t % specs.size());
      int rows = 4 + t;
      batches[t] = block(t % 2 == 0, rows, TestData.features(rows, IN, 0.5, t), TestData.labels(spec, rows, t));
      params[t] = TestData.params(spec, t);
      expected[t] = new float[spec.numParams()];
      expectedLoss[t] = new Network(spec).gradient(params[t], batches[t], expected[t]);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int rep = 0; rep < 5; rep++) {
        for (int t = 0; t < tasks; t++) {
          int task = t;
          futures.add(pool.submit(() -> {
            Network net = new Network(specs.get(task % specs.size()));
            float[] g = new float[params[task].length];
            double loss = net.gradient(params[task], batches[task], g);
            assertEquals(expectedLoss[task], loss);
            assertArrayEquals(expected[task], g);
            return null;
          }));
        }
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void emptyBatchGivesZeroLossAndGradient() {
    ModelSpec spec = ModelSpec.mlp(IN, new int[] {3}, Activation.RELU, 2, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    Network net = new Network(spec);
    float[] g = new float[spec.numParams()];
    Arrays.fill(g, 1f);
    assertEquals(0.0, net.gradient(TestData.params(spec, 1), new DenseBlock(0, IN, new float[0], new float[0]), g));
    assertArrayEquals(new float[g.length], g);
  }

  @Test
  void singleRowBatch() {
    ModelSpec spec = ModelSpec.mlp(IN, new int[] {3}, Activation.TANH, 2, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    Network net = new Network(spec);
    float[] x = TestData.features(1, IN, 0.3, 1);
    float[] y = {1};
    float[] p = TestData.params(spec, 2);
    float[] gd = new float[p.length];
    float[] gs = new float[p.length];
    assertEquals(net.gradient(p, TestData.dense(1, IN, x, y), gd), net.gradient(p, TestData.sparse(1, IN, x, y), gs), 1e-6);
    TestData.assertClose("one row", TestData.toDouble(gd), TestData.toDouble(gs), 1e-5, 1e-2);
  }

  /** A 2^20-feature sparse logistic regression, checked by hand: nothing is densified. */
  @Test
  void hugeSparseInputLogisticRegression() {
    int d = 1 << 20;
    ModelSpec spec = ModelSpec.logisticRegression(d);
    float[] p = new float[spec.numParams()]; // all zero: z = 0, dLoss/dz = 0.5 - y
    float[] g = new float[p.length];
    Arrays.fill(g, Float.NaN);
    SparseBlock batch = new SparseBlock(3, d, new int[] {0, 1, 3, 3}, new int[] {5, 5, d - 1},
        new float[] {2, 1, 3}, new float[] {1, 0, 1});
    assertEquals(3 * Math.log(2), new Network(spec).gradient(p, batch, g), 1e-6);
    assertEquals(-1.0f + 0.5f, g[5]);
    assertEquals(1.5f, g[d - 1]);
    assertEquals(-0.5f, g[d]); // bias: -0.5 + 0.5 - 0.5
    int nonZero = 0;
    for (float v : g) {
      nonZero += v != 0 ? 1 : 0;
    }
    assertEquals(3, nonZero);
  }

  /** An MLP on 2^20 features: the sparse path matches the dense one on the same rows. */
  @Test
  void hugeInputMlpSparseMatchesDense() {
    int d = 1 << 20;
    ModelSpec spec = ModelSpec.mlp(d, new int[] {4}, Activation.RELU, 3, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    Network net = new Network(spec);
    float[] p = new float[spec.numParams()];
    net.init(p, 9);
    int rows = 3;
    float[] x = new float[rows * d];
    java.util.Random rnd = new java.util.Random(1);
    for (int k = 0; k < 60; k++) {
      x[rnd.nextInt(rows) * d + rnd.nextInt(d)] = (float) rnd.nextGaussian() * 10;
    }
    float[] y = {0, 2, 1};
    float[] gs = new float[p.length];
    float[] gd = new float[p.length];
    double ls = net.gradient(p, TestData.sparse(rows, d, x, y), gs);
    double ld = net.gradient(p, new DenseBlock(rows, d, x, y), gd);
    assertEquals(ld, ls, 1e-6 * Math.abs(ld));
    TestData.assertClose("2^20 inputs sparse vs dense", TestData.toDouble(gd), TestData.toDouble(gs), 1e-5, 1e-2);
  }

  @Test
  void inputChecks() {
    ModelSpec spec = ModelSpec.softmaxRegression(4, 3);
    Network net = new Network(spec);
    float[] p = new float[15];
    float[] g = new float[15];
    DenseBlock ok = new DenseBlock(2, 4, new float[8], new float[] {0, 2});

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.gradient(p, new DenseBlock(2, 5, new float[10], new float[2]), g));
    assertEquals("batch has 5 features but the model softmax_regression 4-3 softmax_cross_entropy expects 4", e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> net.gradient(new float[14], ok, g));
    assertEquals("params has 14 entries but the model softmax_regression 4-3 softmax_cross_entropy has 15 parameters",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> net.gradient(p, ok, new float[16]));
    assertTrue(e.getMessage().startsWith("gradOut has 16 entries"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> net.gradient(new double[15], ok, new double[1]));
    assertTrue(e.getMessage().startsWith("gradOut has 1 entries"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> net.gradient(p, new DenseBlock(2, 4, new float[8], new float[] {0, 1.5f}), g));
    assertEquals("row 1 of the batch: label 1.5 is not a class index: expected an integer in [0, 3)", e.getMessage());

    SparseBlock badIndex = new SparseBlock(1, 4, new int[] {0, 1}, new int[] {4}, new float[] {1}, new float[] {0});
    e = assertThrows(IllegalArgumentException.class, () -> net.gradient(p, badIndex, g));
    assertEquals("row 0 of the sparse batch has feature index 4, outside the model's input range [0, 4)", e.getMessage());
  }

  private static Block block(boolean sparse, int rows, float[] x, float[] y) {
    return sparse ? TestData.sparse(rows, IN, x, y) : TestData.dense(rows, IN, x, y);
  }
}
