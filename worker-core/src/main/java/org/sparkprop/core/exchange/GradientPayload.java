package org.sparkprop.core.exchange;

import java.io.Serializable;

/**
 * What one task sends back to the driver in dense exchange mode: the sum of per-example loss
 * gradients over its mini-batch, the sum of per-example losses and the number of examples.
 *
 * <p>Payloads form a commutative monoid under {@link #merge}: {@link #empty()} is the identity,
 * and merging is associative up to float rounding. The driver merges payloads in
 * partition-index order, so the rounding is the same in every run. {@code merge} mutates and
 * returns the left operand; the right operand must not be used afterwards.
 */
public final class GradientPayload implements Serializable {
  private static final long serialVersionUID = 1L;

  private float[] gradientSum; // null only for the empty payload
  private double lossSum;
  private long count;
  private long computeNanos; // slowest contributor's compute time; diagnostics only

  private GradientPayload(float[] gradientSum, double lossSum, long count) {
    this.gradientSum = gradientSum;
    this.lossSum = lossSum;
    this.count = count;
  }

  /** The identity of {@link #merge}: no gradient, no examples. */
  public static GradientPayload empty() {
    return new GradientPayload(null, 0.0, 0L);
  }

  /**
   * A payload over {@code count} examples. Takes ownership of {@code gradientSum}.
   *
   * @throws IllegalArgumentException if count is negative
   */
  public static GradientPayload of(float[] gradientSum, double lossSum, long count) {
    if (gradientSum == null) {
      throw new IllegalArgumentException("gradientSum must not be null; use empty()");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    return new GradientPayload(gradientSum, lossSum, count);
  }

  /**
   * Adds {@code other} into this payload and returns this.
   *
   * @throws IllegalArgumentException if both carry gradients of different lengths
   */
  public GradientPayload merge(GradientPayload other) {
    if (other.gradientSum != null) {
      if (gradientSum == null) {
        gradientSum = other.gradientSum; // the right operand is consumed
      } else {
        if (gradientSum.length != other.gradientSum.length) {
          throw new IllegalArgumentException(
              "cannot merge gradients of " + gradientSum.length + " and "
                  + other.gradientSum.length + " parameters");
        }
        float[] a = gradientSum;
        float[] b = other.gradientSum;
        for (int i = 0; i < a.length; i++) {
          a[i] += b[i];
        }
      }
    }
    lossSum += other.lossSum;
    count += other.count;
    computeNanos = Math.max(computeNanos, other.computeNanos);
    return this;
  }

  /** Records how long the task computed (merged as the maximum); returns this. */
  public GradientPayload withComputeNanos(long nanos) {
    this.computeNanos = nanos;
    return this;
  }

  /** The slowest merged task's compute time in nanoseconds (0 if not recorded). */
  public long computeNanos() {
    return computeNanos;
  }

  /** True when nothing has been merged in. */
  public boolean isEmpty() {
    return gradientSum == null && count == 0;
  }

  /** Number of examples summed. */
  public long count() {
    return count;
  }

  /** Sum of per-example losses. */
  public double lossSum() {
    return lossSum;
  }

  /** The gradient sum (live, not a copy); null for the empty payload. */
  public float[] gradientSum() {
    return gradientSum;
  }

  /** Mean loss per example. */
  public double meanLoss() {
    requireExamples("a mean loss");
    return lossSum / count;
  }

  /**
   * Writes the mean gradient (sum / count) into {@code out}.
   *
   * @throws IllegalStateException if no example was seen: a mean over nothing is a bug upstream
   */
  public void meanGradient(float[] out) {
    requireExamples("a mean gradient");
    if (out.length != gradientSum.length) {
      throw new IllegalArgumentException(
          "out has " + out.length + " entries, gradient has " + gradientSum.length);
    }
    divide(gradientSum, count, out);
  }

  /**
   * {@code out[i] = sum[i] / count}, correctly rounded to float. For {@code count <= 2^24} the
   * float division is exact to the same bits as dividing in double and rounding once (double
   * rounding is harmless for a quotient of 24-bit operands, since 53 >= 2*24 + 2), and 16x
   * faster; beyond 2^24 the count is not a float, so the division runs in double.
   */
  public static void divide(float[] sum, long count, float[] out) {
    if (count <= (1 << 24)) {
      float n = count;
      for (int i = 0; i < out.length; i++) {
        out[i] = sum[i] / n;
      }
    } else {
      double n = count;
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (sum[i] / n);
      }
    }
  }

  private void requireExamples(String what) {
    if (count == 0 || gradientSum == null) {
      throw new IllegalStateException(
          "cannot compute " + what + " of a payload with no examples: "
              + "every partition returned an empty batch (check the sampler and the data)");
    }
  }
}
