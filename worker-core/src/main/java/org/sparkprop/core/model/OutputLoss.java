package org.sparkprop.core.model;

import java.util.Locale;

/**
 * Loss of one example, computed from the output layer's raw values {@code z[0..k)} (logits).
 *
 * <ul>
 *   <li>{@link #MSE}: {@code (1/k) * sum_j (z_j - t_j)^2}, with {@code t = label} when
 *       {@code k == 1} and {@code t = one_hot(label)} when {@code k > 1}.
 *   <li>{@link #BINARY_CROSS_ENTROPY}: on the single logit, {@code softplus(z) - y z} with
 *       {@code y} in {0, 1}, i.e. {@code -y log(sigmoid z) - (1 - y) log(1 - sigmoid z)}.
 *   <li>{@link #SOFTMAX_CROSS_ENTROPY}: {@code logsumexp(z) - z_label}, i.e.
 *       {@code -log softmax(z)_label}.
 * </ul>
 *
 * All three are computed in double precision without overflow for any finite logits (e.g.
 * {@code z = 1000}). Losses are in nats; the trainer sums them over a batch.
 */
public enum OutputLoss {
  MSE("mse"),
  BINARY_CROSS_ENTROPY("binary_cross_entropy"),
  SOFTMAX_CROSS_ENTROPY("softmax_cross_entropy");

  private final String configName;

  OutputLoss(String configName) {
    this.configName = configName;
  }

  /** The name used in configuration files, e.g. {@code "softmax_cross_entropy"}. */
  public String configName() {
    return configName;
  }

  /**
   * The loss with the given config name (case-insensitive, surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the valid choices if there is none
   */
  public static OutputLoss fromName(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (OutputLoss l : values()) {
        if (l.configName.equals(n)) {
          return l;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (OutputLoss l : values()) {
      sb.append(sb.length() > 0 ? ", " : "").append(l.configName);
    }
    throw new IllegalArgumentException("unknown loss '" + name + "': expected one of " + sb);
  }

  /**
   * Loss of one example and, if {@code grad} is not null, its gradient with respect to the
   * logits.
   *
   * @param z logits; this example's are {@code z[off .. off + k)}
   * @param k number of outputs (1 for {@link #BINARY_CROSS_ENTROPY}, at least 2 for {@link
   *     #SOFTMAX_CROSS_ENTROPY})
   * @param label target value (MSE, k == 1), 0 or 1 (BCE), or class index in {@code [0, k)};
   *     the caller has validated it
   * @param grad if not null, receives {@code dLoss/dz} at {@code grad[off .. off + k)}
   * @return the loss in nats (or squared units for MSE)
   */
  public double lossAndGradient(double[] z, int off, int k, float label, double[] grad) {
    switch (this) {
      case MSE:
        return mse(z, off, k, label, grad);
      case BINARY_CROSS_ENTROPY:
        return bce(z[off], label, grad, off);
      case SOFTMAX_CROSS_ENTROPY:
        return softmaxCe(z, off, k, (int) label, grad);
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Writes the prediction for one example: softmax probabilities for {@link
   * #SOFTMAX_CROSS_ENTROPY}, the sigmoid probability of class 1 for {@link
   * #BINARY_CROSS_ENTROPY}, the raw outputs for {@link #MSE}.
   */
  public void predict(double[] z, int off, int k, float[] out, int outOff) {
    switch (this) {
      case MSE:
        for (int j = 0; j < k; j++) {
          out[outOff + j] = (float) z[off + j];
        }
        break;
      case BINARY_CROSS_ENTROPY:
        out[outOff] = (float) sigmoid(z[off]);
        break;
      case SOFTMAX_CROSS_ENTROPY:
        double lse = logSumExp(z, off, k);
        for (int j = 0; j < k; j++) {
          out[outOff + j] = (float) StrictMath.exp(z[off + j] - lse);
        }
        break;
      default:
        throw new AssertionError(this);
    }
  }

  private static double mse(double[] z, int off, int k, float label, double[] grad) {
    double sum = 0;
    int hot = (int) label;
    for (int j = 0; j < k; j++) {
      double t = k == 1 ? label : (j == hot ? 1.0 : 0.0);
      double e = z[off + j] - t;
      sum += e * e;
      if (grad != null) {
        grad[off + j] = 2.0 * e / k;
      }
    }
    return sum / k;
  }

  private static double bce(double z, float y, double[] grad, int off) {
    if (grad != null) {
      grad[off] = sigmoid(z) - y;
    }
    return softplus(z) - y * z;
  }

  private static double softmaxCe(double[] z, int off, int k, int label, double[] grad) {
    double max = max(z, off, k);
    double sum = sumExp(z, off, k, max);
    if (grad != null) {
      for (int j = 0; j < k; j++) {
        grad[off + j] = StrictMath.exp(z[off + j] - max) / sum - (j == label ? 1.0 : 0.0);
      }
    }
    // (max - z_label) + log(sum) rather than logsumexp - z_label: exact when the label is the argmax.
    return (max - z[off + label]) + StrictMath.log(sum);
  }

  /** {@code log(1 + e^z)} without overflow or cancellation. */
  static double softplus(double z) {
    return Math.max(z, 0.0) + StrictMath.log1p(StrictMath.exp(-Math.abs(z)));
  }

  /** {@code 1 / (1 + e^-z)} without overflow. */
  static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + StrictMath.exp(-z));
    }
    double e = StrictMath.exp(z);
    return e / (1.0 + e);
  }

  /** {@code log sum_j e^{z_j}} over {@code z[off .. off + k)}, shifted by the maximum. */
  static double logSumExp(double[] z, int off, int k) {
    double max = max(z, off, k);
    return max + StrictMath.log(sumExp(z, off, k, max));
  }

  private static double max(double[] z, int off, int k) {
    double max = z[off];
    for (int j = 1; j < k; j++) {
      max = Math.max(max, z[off + j]);
    }
    return max;
  }

  /** {@code sum_j e^{z_j - max}}: at least 1 for finite logits, so its log is finite. */
  private static double sumExp(double[] z, int off, int k, double max) {
    double s = 0;
    for (int j = 0; j < k; j++) {
      s += StrictMath.exp(z[off + j] - max);
    }
    return s;
  }
}
