package org.sparkprop.driver.train;

import java.util.function.BiFunction;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Spark result handler that merges task results in partition-index order, whatever order the
 * tasks finish in: a result is held until all lower partitions have arrived, then the contiguous
 * prefix is folded into the accumulator. The sum is therefore the same floats in every run.
 *
 * <p>Spark calls the handler from its scheduler thread; the accumulator is read after
 * {@code runJob} returns, which happens-after every handler call.
 */
final class OrderedReducer<A, U> extends AbstractFunction2<Object, U, BoxedUnit> {
  private final Object[] pending;
  private final BiFunction<A, U, A> merge;
  private A accumulator;
  private int next;
  private long mergeNanos;

  /**
   * @param identity the starting accumulator (e.g. an empty payload)
   * @param merge folds a result into the accumulator and returns the accumulator
   */
  OrderedReducer(int numResults, A identity, BiFunction<A, U, A> merge) {
    this.pending = new Object[numResults];
    this.merge = merge;
    this.accumulator = identity;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized BoxedUnit apply(Object index, U result) {
    int i = (Integer) index;
    pending[i] = result;
    long start = System.nanoTime();
    while (next < pending.length && pending[next] != null) {
      accumulator = merge.apply(accumulator, (U) pending[next]);
      pending[next] = null;
      next++;
    }
    mergeNanos += System.nanoTime() - start;
    return BoxedUnit.UNIT;
  }

  /** Time spent merging on the driver, in nanoseconds. */
  synchronized long mergeNanos() {
    return mergeNanos;
  }

  /** The merged result of all partitions. */
  synchronized A result() {
    if (next != pending.length) {
      throw new IllegalStateException("only " + next + " of " + pending.length
          + " results arrived in order");
    }
    return accumulator;
  }
}
