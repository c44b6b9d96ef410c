package org.sparkprop.driver.generate;

import java.util.Arrays;
import org.sparkprop.driver.generate.GenerateOptions.Kind;

/**
 * The ground truth of a generated dataset, drawn from the seed: a weight vector (linear,
 * logistic), a weight matrix (multiclass) or a one-hidden-layer tanh network (teacher-mlp).
 *
 * <p>Weights are stored feature-major ({@code w[j * outputs + k]}), so a sparse row touches only
 * the weights of its own columns. Sums are taken in double, in column order, with {@link
 * StrictMath#tanh}: the same row gives the same label on every JVM.
 */
final class Teacher {
  private final Kind kind;
  private final int outputs;
  private final int hidden;
  private final float[] weights;
  private final float[] hiddenBias;
  private final float[] outWeights;
  private final double[] scores;
  private final double[] activations;

  /**
   * Draws the ground truth. First-layer weights have variance 1/m, m the non-zeros per row (D
   * when dense), so {@code w.x} has about unit variance.
   */
  Teacher(GenerateOptions opts, Gaussian gaussian) {
    this.kind = opts.kind();
    int active = opts.sparse() ? opts.nnz() : opts.features();
    double scale = 1.0 / Math.sqrt(active);
    switch (kind) {
      case LINEAR:
      case LOGISTIC:
        outputs = 1;
        hidden = 0;
        break;
      case MULTICLASS:
        outputs = opts.classes();
        hidden = 0;
        break;
      default:
        outputs = opts.hidden();
        hidden = opts.hidden();
    }
    weights = draw(gaussian, (long) opts.features() * outputs, scale);
    if (kind == Kind.TEACHER_MLP) {
      hiddenBias = draw(gaussian, hidden, 0.5);
      outWeights = draw(gaussian, (long) hidden * opts.classes(), 1.0 / Math.sqrt(hidden));
      activations = new double[hidden];
      scores = new double[opts.classes()];
    } else {
      hiddenBias = null;
      outWeights = null;
      activations = null;
      scores = new double[outputs];
    }
  }

  private static float[] draw(Gaussian gaussian, long n, double scale) {
    float[] w = new float[Math.toIntExact(n)];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (gaussian.next() * scale);
    }
    return w;
  }

  /**
   * The noiseless target of a row: {@code w.x} for linear and logistic (the margin), the class
   * index for multiclass and teacher-mlp.
   *
   * @param columns the row's 0-based columns (ascending), {@code count} of them
   * @param values the row's values as a reader will parse them
   */
  double target(int[] columns, float[] values, int count) {
    Arrays.fill(scores, 0.0);
    int k0 = outputs;
    double[] first = kind == Kind.TEACHER_MLP ? activations : scores;
    if (kind == Kind.TEACHER_MLP) {
      Arrays.fill(activations, 0.0);
    }
    for (int n = 0; n < count; n++) {
      double x = values[n];
      int base = columns[n] * k0;
      for (int k = 0; k < k0; k++) {
        first[k] += weights[base + k] * x;
      }
    }
    switch (kind) {
      case LINEAR:
      case LOGISTIC:
        return scores[0];
      case MULTICLASS:
        return argmax(scores);
      default:
        {
          int classes = scores.length;
          for (int h = 0; h < hidden; h++) {
            double a = StrictMath.tanh(activations[h] + hiddenBias[h]);
            int base = h * classes;
            for (int k = 0; k < classes; k++) {
              scores[k] += outWeights[base + k] * a;
            }
          }
          return argmax(scores);
        }
    }
  }

  private static int argmax(double[] s) {
    int best = 0;
    for (int k = 1; k < s.length; k++) {
      if (s[k] > s[best]) {
        best = k;
      }
    }
    return best;
  }
}
