package org.sparkprop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.DenseBlock;

/** End to end: plain gradient descent on the mean gradient drives the loss down. */
class TrainingTest {

  /** XOR of the signs of two features: not linearly separable, so the hidden layer must work. */
  @Test
  void mlpLearnsXor() {
    int n = 200;
    Random rnd = new Random(1);
    float[] x = new float[2 * n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      float a = (float) ((0.3 + rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1));
      float b = (float) ((0.3 + rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1));
      x[2 * i] = a;
      x[2 * i + 1] = b;
      y[i] = (a > 0) != (b > 0) ? 1 : 0;
    }
    for (Activation act : new Activation[] {Activation.RELU, Activation.TANH}) {
      ModelSpec spec = ModelSpec.mlp(2, new int[] {16}, act, 2, OutputLoss.SOFTMAX_CROSS_ENTROPY);
      DenseBlock data = new DenseBlock(n, 2, x, y);
      double[] result = descend(spec, data, 400, 0.5f);
      assertTrue(result[1] < 0.1 * result[0], act + ": loss " + result[0] + " -> " + result[1]);
      assertTrue(result[2] >= 0.97, act + ": accuracy " + result[2]);
    }
  }

  /** Sparse logistic regression on linearly separable data. */
  @Test
  void sparseLogisticRegression() {
    int n = 100;
    int d = 50;
    float[] x = TestData.features(n, d, 0.8, 3);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < 10; j++) {
        s += x[i * d + j] * (j % 2 == 0 ? 1 : -1);
      }
      y[i] = s > 0 ? 1 : 0;
    }
    double[] result = descend(ModelSpec.logisticRegression(d), TestData.sparse(n, d, x, y), 300, 1f);
    assertTrue(result[1] < 0.3 * result[0], "loss " + result[0] + " -> " + result[1]);
    assertTrue(result[2] >= 0.95, "accuracy " + result[2]);
  }

  /** Linear regression recovers the generating weights. */
  @Test
  void linearRegressionRecoversWeights() {
    int n = 100;
    float[] x = TestData.features(n, 2, 0, 5);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = 2 * x[2 * i] - 3 * x[2 * i + 1] + 1;
    }
    ModelSpec spec = ModelSpec.linearRegression(2);
    Network net = new Network(spec);
    float[] p = new float[3];
    net.init(p, 1);
    float[] g = new float[3];
    for (int step = 0; step < 500; step++) {
      net.gradient(p, new DenseBlock(n, 2, x, y), g);
      for (int i = 0; i < 3; i++) {
        p[i] -= 0.1f * g[i] / n;
      }
    }
    assertEquals(2, p[0], 1e-3);
    assertEquals(-3, p[1], 1e-3);
    assertEquals(1, p[2], 1e-3);
    assertTrue(net.evaluate(p, new DenseBlock(n, 2, x, y)).rmse() < 1e-3);
  }

  /** Runs gradient descent; returns {initial mean loss, final mean loss, final accuracy}. */
  private static double[] descend(ModelSpec spec, Block data, int steps, float lr) {
    Network net = new Network(spec);
    float[] p = new float[spec.numParams()];
    net.init(p, 42);
    float[] g = new float[p.length];
    int n = data.numRows();
    double initial = net.evaluate(p, data).meanLoss();
    for (int step = 0; step < steps; step++) {
      net.gradient(p, data, g);
      for (int i = 0; i < p.length; i++) {
        p[i] -= lr * g[i] / n;
      }
    }
    EvalStats end = net.evaluate(p, data);
    return new double[] {initial, end.meanLoss(), end.accuracy()};
  }
}
