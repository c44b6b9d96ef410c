package org.sparkprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.data.SparseBlock;

/** evaluate and predict on hand-made data with hand-set parameters. */
class EvaluatePredictTest {

  @Test
  void logisticRegression() {
    Network net = new Network(ModelSpec.logisticRegression(2));
    float[] p = {1, -1, 0}; // z = x0 - x1
    float[] x = {2, 0, 0, 2, 1, 0, 0, 0};
    float[] y = {1, 0, 0, 1}; // z = 2, -2, 1, 0: right, right, wrong, wrong (z = 0 predicts 0)
    DenseBlock dense = TestData.dense(4, 2, x, y);
    EvalStats s = net.evaluate(p, dense);
    assertEquals(4, s.count());
    assertEquals(2, s.correct());
    assertEquals(0.5, s.accuracy());
    assertEquals(0.1269280110429725 * 2 + 1.3132616875182228 + Math.log(2), s.lossSum(), 1e-6);
    assertEquals(0.0, s.squaredErrorSum());
    assertEquals(s, net.evaluate(p, TestData.sparse(4, 2, x, y)));

    float[] prob = new float[4];
    net.predict(p, dense, prob);
    assertArrayEquals(new float[] {0.8807971f, 0.11920292f, 0.7310586f, 0.5f}, prob, 1e-6f);
  }

  @Test
  void linearRegression() {
    Network net = new Network(ModelSpec.linearRegression(2));
    float[] p = {2, 0, 1}; // y = 2 x0 + 1
    float[] x = {1, 5, 0, 0, 2, 1};
    float[] y = {3, 2, 1}; // predictions 3, 1, 5: errors 0, -1, 4
    EvalStats s = net.evaluate(p, TestData.dense(3, 2, x, y));
    assertEquals(3, s.count());
    assertEquals(17.0, s.squaredErrorSum(), 1e-9);
    assertEquals(17.0, s.lossSum(), 1e-9);
    assertEquals(Math.sqrt(17.0 / 3), s.rmse(), 1e-9);
    assertEquals(17.0 / 3, s.meanLoss(), 1e-9);
    assertEquals(0, s.correct());
    assertEquals(s, net.evaluate(p, TestData.sparse(3, 2, x, y)));

    float[] out = new float[3];
    net.predict(p, TestData.sparse(3, 2, x, y), out);
    assertArrayEquals(new float[] {3, 1, 5}, out);
  }

  @Test
  void softmaxRegression() {
    Network net = new Network(ModelSpec.softmaxRegression(2, 3));
    float[] p = {1, 0, 0, 0, 1, 0, 0, 0, 0.5f}; // W = [[1,0,0],[0,1,0]], b = [0, 0, 0.5]
    float[] x = {2, 0, 0, 2, 0, 0};
    float[] y = {0, 2, 2}; // logits [2,0,.5] [0,2,.5] [0,0,.5]: argmax 0, 1, 2
    EvalStats s = net.evaluate(p, TestData.dense(3, 2, x, y));
    assertEquals(2, s.correct());
    assertEquals(2.0 / 3, s.accuracy(), 1e-12);
    assertEquals(2.9070881938759365, s.lossSum(), 1e-6);
    assertEquals(s, net.evaluate(p, TestData.sparse(3, 2, x, y)));

    float[] prob = new float[9];
    net.predict(p, TestData.dense(3, 2, x, y), prob);
    for (int r = 0; r < 3; r++) {
      assertEquals(1.0, prob[3 * r] + prob[3 * r + 1] + prob[3 * r + 2], 1e-6);
    }
    assertTrue(prob[0] > prob[1] && prob[0] > prob[2]);
    assertEquals(1 / (2 + Math.exp(0.5)), prob[6], 1e-6);
  }

  @Test
  void mlpWithMseOnOneHotTargetsCountsCorrectAndMeanSquaredError() {
    ModelSpec spec = ModelSpec.mlp(4, new int[] {3}, Activation.SIGMOID, 3, OutputLoss.MSE);
    assertTrue(spec.isClassification());
    Network net = new Network(spec);
    float[] p = TestData.params(spec, 5);
    float[] x = TestData.features(10, 4, 0, 6);
    float[] y = TestData.labels(spec, 10, 7);
    EvalStats s = net.evaluate(p, TestData.dense(10, 4, x, y));
    assertEquals(s.lossSum(), s.squaredErrorSum(), 0.0);
    float[] out = new float[30];
    net.predict(p, TestData.dense(10, 4, x, y), out);
    long correct = 0;
    for (int r = 0; r < 10; r++) {
      int best = 0;
      for (int j = 1; j < 3; j++) {
        best = out[3 * r + j] > out[3 * r + best] ? j : best;
      }
      correct += best == (int) y[r] ? 1 : 0;
    }
    assertEquals(correct, s.correct());
  }

  @Test
  void emptyBatch() {
    Network net = new Network(ModelSpec.softmaxRegression(2, 3));
    float[] p = new float[9];
    DenseBlock empty = new DenseBlock(0, 2, new float[0], new float[0]);
    assertEquals(EvalStats.empty(), net.evaluate(p, empty));
    net.predict(p, empty, new float[0]);
    SparseBlock emptySparse = new SparseBlock(0, 2, new int[] {0}, new int[0], new float[0], new float[0]);
    assertEquals(EvalStats.empty(), net.evaluate(p, emptySparse));
  }

  @Test
  void predictChecksOutputLength() {
    Network net = new Network(ModelSpec.softmaxRegression(2, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.predict(new float[9], TestData.dense(2, 2, new float[4], new float[2]), new float[3]));
    assertTrue(e.getMessage().contains("out has 3 entries"), e.getMessage());
  }

  @Test
  void evaluateRejectsBadLabels() {
    Network net = new Network(ModelSpec.softmaxRegression(2, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.evaluate(new float[9], TestData.dense(2, 2, new float[4], new float[] {0, 3})));
    assertEquals(
        "row 1 of the batch: label 3 is out of range: expected a class index in [0, 3)", e.getMessage());
  }

  @Test
  void evalStatsMergeAndRatios() {
    EvalStats a = new EvalStats(3.0, 4, 3, 8.0);
    EvalStats b = new EvalStats(1.0, 4, 1, 0.0);
    assertTrue(a.merge(b) == a);
    assertEquals(new EvalStats(4.0, 8, 4, 8.0), a);
    assertEquals(0.5, a.meanLoss());
    assertEquals(0.5, a.accuracy());
    assertEquals(1.0, a.rmse());
    assertEquals(new EvalStats(1.0, 4, 1, 0.0), b);
    assertTrue(Double.isNaN(EvalStats.empty().meanLoss()));
    assertTrue(Double.isNaN(EvalStats.empty().accuracy()));
    assertTrue(Double.isNaN(EvalStats.empty().rmse()));
    assertEquals(a.hashCode(), new EvalStats(4.0, 8, 4, 8.0).hashCode());
    assertEquals("EvalStats[lossSum=4.0, count=8, correct=4, squaredErrorSum=8.0]", a.toString());
  }
}
