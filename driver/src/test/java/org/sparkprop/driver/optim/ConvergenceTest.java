package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end on tiny problems: each Rprop variant trains a full-batch logistic regression to its
 * optimum (found by Newton's method in double); sign and signum descend a quadratic.
 */
class ConvergenceTest {

  /** A full-batch logistic regression: rows x (with a trailing 1 for the bias), labels 0/1. */
  static final class Logistic {
    final double[][] x;
    final double[] y;
    final int d;

    Logistic(int rows, long seed) {
      Random r = new Random(seed);
      double[] w = {1.5, -2.0, 0.5, 0.0, 0.3};
      d = w.length;
      x = new double[rows][d];
      y = new double[rows];
      for (int i = 0; i < rows; i++) {
        double z = 0;
        for (int j = 0; j < d; j++) {
          x[i][j] = j == d - 1 ? 1.0 : r.nextGaussian();
          z += w[j] * x[i][j];
        }
        y[i] = r.nextDouble() < sigmoid(z) ? 1 : 0;
      }
    }

    static double sigmoid(double z) {
      return 1 / (1 + Math.exp(-z));
    }

    /** Mean cross-entropy; writes the mean gradient into {@code grad} if not null. */
    double loss(double[] w, double[] grad) {
      double loss = 0;
      if (grad != null) {
        java.util.Arrays.fill(grad, 0);
      }
      for (int i = 0; i < x.length; i++) {
        double z = 0;
        for (int j = 0; j < d; j++) {
          z += w[j] * x[i][j];
        }
        // log(1 + e^z) − y·z, stable for both signs of z
        loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i] * z;
        if (grad != null) {
          double e = sigmoid(z) - y[i];
          for (int j = 0; j < d; j++) {
            grad[j] += e * x[i][j] / x.length;
          }
        }
      }
      return loss / x.length;
    }

    /** The optimum by Newton's method. */
    double[] newton() {
      double[] w = new double[d];
      for (int it = 0; it < 30; it++) {
        double[] g = new double[d];
        loss(w, g);
        double[][] h = new double[d][d + 1];
        for (double[] row : x) {
          double z = 0;
          for (int j = 0; j < d; j++) {
            z += w[j] * row[j];
          }
          double s = sigmoid(z) * (1 - sigmoid(z)) / x.length;
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              h[a][b] += s * row[a] * row[b];
            }
          }
        }
        for (int a = 0; a < d; a++) {
          h[a][d] = g[a];
        }
        double[] step = solve(h);
        for (int j = 0; j < d; j++) {
          w[j] -= step[j];
        }
      }
      return w;
    }

    /** Gaussian elimination with partial pivoting on an augmented d × (d+1) matrix. */
    private static double[] solve(double[][] m) {
      int d = m.length;
      for (int c = 0; c < d; c++) {
        int p = c;
        for (int r = c + 1; r < d; r++) {
          if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
            p = r;
          }
        }
        double[] tmp = m[c];
        m[c] = m[p];
        m[p] = tmp;
        for (int r = c + 1; r < d; r++) {
          double f = m[r][c] / m[c][c];
          for (int k = c; k <= d; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
      double[] s = new double[d];
      for (int r = d - 1; r >= 0; r--) {
        double v = m[r][d];
        for (int k = r + 1; k < d; k++) {
          v -= m[r][k] * s[k];
        }
        s[r] = v / m[r][r];
      }
      return s;
    }
  }

  private static double[] toDouble(float[] p) {
    double[] d = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = p[i];
    }
    return d;
  }

  @ParameterizedTest
  @EnumSource(RpropConfig.Variant.class)
  void rpropTrainsLogisticRegressionToTheOptimum(RpropConfig.Variant variant) {
    Logistic problem = new Logistic(300, 5);
    double best = problem.loss(problem.newton(), null);
    Optimizer opt = RpropConfig.builder(variant).build().create(problem.d);
    float[] w = new float[problem.d];
    double[] grad = new double[problem.d];
    double initial = problem.loss(toDouble(w), null);
    for (int t = 1; t <= 400; t++) {
      double loss = problem.loss(toDouble(w), grad);
      float[] g = new float[problem.d];
      for (int j = 0; j < g.length; j++) {
        g[j] = (float) grad[j];
      }
      opt.step(w, g, 0.0, loss);
    }
    double loss = problem.loss(toDouble(w), grad);
    double norm = 0;
    for (double g : grad) {
      norm += g * g;
    }
    assertTrue(initial - best > 0.1, "the problem is not trivial");
    assertTrue(loss - best < 1e-6, variant + ": loss " + loss + ", optimum " + best);
    assertTrue(Math.sqrt(norm) < 1e-3, variant + ": gradient norm " + Math.sqrt(norm));
  }

  /** f(θ) = ½ Σ a_i (θ_i − c_i)², gradient a_i (θ_i − c_i). */
  private static double quadratic(float[] theta, double[] a, double[] c, float[] grad) {
    double f = 0;
    for (int i = 0; i < theta.length; i++) {
      double r = theta[i] - c[i];
      f += 0.5 * a[i] * r * r;
      grad[i] = (float) (a[i] * r);
    }
    return f;
  }

  private static void descendsQuadratic(OptimizerConfig config) {
    Random r = new Random(8);
    int n = 20;
    double[] a = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = 0.5 + 1.5 * r.nextDouble();
      c[i] = r.nextGaussian();
    }
    Optimizer opt = config.create(n);
    float[] theta = new float[n];
    float[] grad = new float[n];
    double f0 = quadratic(theta, a, c, grad);
    double f = f0;
    for (int t = 1; t <= 400; t++) {
      opt.step(theta, grad);
      f = quadratic(theta, a, c, grad);
    }
    assertTrue(f < 1e-3 * f0, config + ": f went from " + f0 + " to " + f);
  }

  @Test
  void signDescendsAQuadratic() {
    descendsQuadratic(SignConfig.sign().lr(0.01).build());
  }

  @Test
  void signumDescendsAQuadratic() {
    descendsQuadratic(SignConfig.signum().lr(0.01).build());
  }
}
