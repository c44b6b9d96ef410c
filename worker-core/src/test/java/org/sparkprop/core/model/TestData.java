package org.sparkprop.core.model;

import java.util.Random;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.data.SparseBlock;

/** Small deterministic data sets and a plain-Java reference forward pass for the model tests. */
final class TestData {
  private TestData() {}

  /** A row-major n x d matrix of standard normals, with about {@code zeroFraction} set to 0. */
  static float[] features(int n, int d, double zeroFraction, long seed) {
    Random rnd = new Random(seed);
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      float v = (float) rnd.nextGaussian();
      x[i] = rnd.nextDouble() < zeroFraction ? 0f : v;
    }
    return x;
  }

  /** Labels that fit the spec: class indices, 0/1, or normals for regression. */
  static float[] labels(ModelSpec spec, int n, long seed) {
    Random rnd = new Random(seed);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      if (spec.loss() == OutputLoss.BINARY_CROSS_ENTROPY) {
        y[i] = rnd.nextInt(2);
      } else if (spec.isClassification()) {
        y[i] = rnd.nextInt(spec.numOutputs());
      } else {
        y[i] = (float) rnd.nextGaussian();
      }
    }
    return y;
  }

  static DenseBlock dense(int n, int d, float[] x, float[] y) {
    return new DenseBlock(n, d, x.clone(), y.clone());
  }

  /** The same rows in CSR form: only the non-zero entries are stored. */
  static SparseBlock sparse(int n, int d, float[] x, float[] y) {
    int nnz = 0;
    for (float v : x) {
      nnz += v != 0f ? 1 : 0;
    }
    int[] ptr = new int[n + 1];
    int[] idx = new int[nnz];
    float[] val = new float[nnz];
    int pos = 0;
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < d; c++) {
        float v = x[r * d + c];
        if (v != 0f) {
          idx[pos] = c;
          val[pos] = v;
          pos++;
        }
      }
      ptr[r + 1] = pos;
    }
    return new SparseBlock(n, d, ptr, idx, val, y.clone());
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** Initialised parameters with the biases set to small random values (so they are exercised). */
  static float[] params(ModelSpec spec, long seed) {
    float[] p = new float[spec.numParams()];
    new Network(spec).init(p, seed);
    Random rnd = new Random(seed ^ 0x5DEECE66DL);
    boolean[] bias = spec.layout().biasMask();
    for (int i = 0; i < p.length; i++) {
      if (bias[i]) {
        p[i] = (float) (0.3 * rnd.nextGaussian());
      }
    }
    return p;
  }

  /**
   * Plain-Java double forward pass; returns the smallest |pre-activation| over all hidden units
   * and rows (to stay away from relu kinks), and writes the per-example losses sum to {@code
   * lossOut[0]} if not null.
   */
  static double reference(ModelSpec spec, double[] p, float[] x, float[] y, int n, double[] lossOut) {
    ParamLayout layout = spec.layout();
    double minAbsPre = Double.POSITIVE_INFINITY;
    double lossSum = 0;
    for (int r = 0; r < n; r++) {
      double[] a = new double[layout.inputSize(0)];
      for (int c = 0; c < a.length; c++) {
        a[c] = x[r * a.length + c];
      }
      for (int l = 0; l < layout.numLayers(); l++) {
        int in = layout.inputSize(l);
        int out = layout.outputSize(l);
        double[] z = new double[out];
        for (int j = 0; j < out; j++) {
          double s = p[layout.biasOffset(l) + j];
          for (int i = 0; i < in; i++) {
            s += a[i] * p[layout.weightOffset(l) + i * out + j];
          }
          z[j] = s;
        }
        if (l < layout.numLayers() - 1) {
          for (int j = 0; j < out; j++) {
            minAbsPre = Math.min(minAbsPre, Math.abs(z[j]));
            z[j] = activate(spec.activation(), z[j]);
          }
        }
        a = z;
      }
      lossSum += spec.loss().lossAndGradient(a, 0, a.length, y[r], null);
    }
    if (lossOut != null) {
      lossOut[0] = lossSum;
    }
    return minAbsPre;
  }

  private static double activate(Activation act, double z) {
    switch (act) {
      case RELU:
        return Math.max(0, z);
      case LEAKY_RELU:
        return z > 0 ? z : 0.01 * z;
      case TANH:
        return Math.tanh(z);
      case SIGMOID:
        return 1 / (1 + Math.exp(-z));
      case IDENTITY:
        return z;
      default:
        throw new AssertionError(act);
    }
  }

  static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * Asserts {@code |expected - actual| <= rel * max(|expected|, floor * maxAbs(expected))} for
   * every component (a relative check that ignores components tiny next to the largest).
   */
  static void assertClose(String what, double[] expected, double[] actual, double rel, double floor) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": lengths " + expected.length + " vs " + actual.length);
    }
    double scale = floor * maxAbs(expected);
    StringBuilder bad = new StringBuilder();
    int failures = 0;
    for (int i = 0; i < expected.length; i++) {
      double tol = rel * Math.max(Math.abs(expected[i]), scale);
      if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
        if (failures++ < 5) {
          bad.append("\n  [").append(i).append("] expected ").append(expected[i])
              .append(" got ").append(actual[i]);
        }
      }
    }
    if (failures > 0) {
      throw new AssertionError(what + ": " + failures + " of " + expected.length + " components differ" + bad);
    }
  }
}
