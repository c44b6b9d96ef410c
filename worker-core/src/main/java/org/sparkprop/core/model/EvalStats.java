package org.sparkprop.core.model;

import java.io.Serializable;

/**
 * Evaluation sums over a set of examples; merge partial sums from partitions with {@link
 * #merge(EvalStats)}. Mutable (merge works in place), not thread-safe.
 *
 * <ul>
 *   <li>{@code lossSum}: sum of per-example losses (see {@link OutputLoss});
 *   <li>{@code count}: number of examples;
 *   <li>{@code correct}: correctly classified examples (classifiers; 0 for regression);
 *   <li>{@code squaredErrorSum}: regression, sum of squared errors of the single output; for MSE
 *       with several outputs, sum of per-example mean squared errors against the one-hot target;
 *       0 for cross-entropy models.
 * </ul>
 */
public final class EvalStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private double lossSum;
  private long count;
  private long correct;
  private double squaredErrorSum;

  public EvalStats(double lossSum, long count, long correct, double squaredErrorSum) {
    this.lossSum = lossSum;
    this.count = count;
    this.correct = correct;
    this.squaredErrorSum = squaredErrorSum;
  }

  /** All sums zero. */
  public static EvalStats empty() {
    return new EvalStats(0, 0, 0, 0);
  }

  /** Adds {@code other}'s sums to this one's and returns this. */
  public EvalStats merge(EvalStats other) {
    lossSum += other.lossSum;
    count += other.count;
    correct += other.correct;
    squaredErrorSum += other.squaredErrorSum;
    return this;
  }

  public double lossSum() {
    return lossSum;
  }

  public long count() {
    return count;
  }

  public long correct() {
    return correct;
  }

  public double squaredErrorSum() {
    return squaredErrorSum;
  }

  /** {@code lossSum / count}, NaN when empty. */
  public double meanLoss() {
    return count == 0 ? Double.NaN : lossSum / count;
  }

  /** Fraction classified correctly, NaN when empty. */
  public double accuracy() {
    return count == 0 ? Double.NaN : (double) correct / count;
  }

  /** {@code sqrt(squaredErrorSum / count)}, NaN when empty. */
  public double rmse() {
    return count == 0 ? Double.NaN : Math.sqrt(squaredErrorSum / count);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EvalStats)) {
      return false;
    }
    EvalStats e = (EvalStats) o;
    return Double.compare(lossSum, e.lossSum) == 0
        && count == e.count
        && correct == e.correct
        && Double.compare(squaredErrorSum, e.squaredErrorSum) == 0;
  }

  @Override
  public int hashCode() {
    int h = Double.hashCode(lossSum);
    h = 31 * h + Long.hashCode(count);
    h = 31 * h + Long.hashCode(correct);
    return 31 * h + Double.hashCode(squaredErrorSum);
  }

  @Override
  public String toString() {
    return "EvalStats[lossSum=" + lossSum + ", count=" + count + ", correct=" + correct
        + ", squaredErrorSum=" + squaredErrorSum + "]";
  }
}
