package org.sparkprop.driver.train;

/** Where the time of {@code steps} training steps went, summed over them (nanoseconds). */
public record StepTimes(long steps, long broadcast, long job, long slowestCompute, long reduce,
    long optimizer, long total) {

  /** These times less {@code earlier}'s: the steps in between. */
  public StepTimes since(StepTimes earlier) {
    return new StepTimes(steps - earlier.steps, broadcast - earlier.broadcast,
        job - earlier.job, slowestCompute - earlier.slowestCompute, reduce - earlier.reduce,
        optimizer - earlier.optimizer, total - earlier.total);
  }

  /** These times and {@code more}'s together. */
  public StepTimes plus(StepTimes more) {
    return new StepTimes(steps + more.steps, broadcast + more.broadcast, job + more.job,
        slowestCompute + more.slowestCompute, reduce + more.reduce, optimizer + more.optimizer,
        total + more.total);
  }

  /** Mean milliseconds per step of one of these sums (NaN without steps). */
  public double msPerStep(long nanos) {
    return steps == 0 ? Double.NaN : nanos / 1e6 / steps;
  }
}
