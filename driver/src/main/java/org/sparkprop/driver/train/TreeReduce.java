package org.sparkprop.driver.train;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.ContextCleaner;
import org.apache.spark.Partitioner;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import org.sparkprop.core.exchange.sign.Segments;
import org.sparkprop.core.exchange.sign.SignAccumulator;
import org.sparkprop.core.exchange.sign.SignPayload;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * The reduction tree of a step with many partitions: each partition's gradient (or sign
 * payload) is sent, keyed by its index, to the group of consecutive partitions it belongs to (a
 * shuffle between executors); each group's task sums its members in partition order (sign
 * payloads: decoded into one accumulator); the driver merges the group results in group order.
 * The shape depends on the partition and group counts only, never on where tasks run or in
 * which order they finish, so the sum is the same floats on any executors and after any retry (a
 * lost shuffle output is recomputed from the same partition with the same sampler and executor
 * state). What reaches the driver is one result per group instead of one per partition.
 */
final class TreeReduce {
  private TreeReduce() {}

  /** Partition {@code p} of {@code partitions} belongs to group {@code p·groups/partitions}. */
  static final class Groups extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final int groups;

    Groups(int partitions, int groups) {
      this.partitions = partitions;
      this.groups = groups;
    }

    @Override
    public int numPartitions() {
      return groups;
    }

    @Override
    public int getPartition(Object key) {
      return (int) ((long) (Integer) key * groups / partitions);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Groups && ((Groups) o).partitions == partitions
          && ((Groups) o).groups == groups;
    }

    @Override
    public int hashCode() {
      return 31 * partitions + groups;
    }
  }

  /**
   * Runs one dense step's tree: partition gradients (stage 1, on the cached data), shuffled to
   * their groups and sorted by partition index, summed in that order (stage 2); the group sums go
   * to {@code reducer} in group order. The step's shuffle files are removed when it is done.
   */
  static void run(JavaSparkContext jsc, JavaRDD<Block> train, Broadcast<StepState> state,
      StepSettings settings, int groups,
      OrderedReducer<GradientPayload, GradientPayload> reducer) {
    run(jsc, train, new GradientTask(state, settings), groups, TreeReduce::sumInOrder, reducer,
        PAYLOAD);
  }

  /** A group's members, in partition order, folded into the group's one result. */
  @FunctionalInterface
  interface GroupFold<U, V> extends java.io.Serializable {
    V fold(Iterator<U> members);
  }

  /**
   * The tree for any step: {@code task}'s result per partition (stage 1) shuffled to its group
   * and sorted by partition index, {@code fold}ed there (stage 2); the group results go to
   * {@code reducer} in group order. The step's shuffle files are removed when it is done.
   */
  static <U, V> void run(JavaSparkContext jsc, JavaRDD<Block> train,
      AbstractFunction2<TaskContext, scala.collection.Iterator<Block>, U> task, int groups,
      GroupFold<U, V> fold, OrderedReducer<?, V> reducer, ClassTag<V> type) {
    JavaRDD<Tuple2<Integer, U>> results = train.mapPartitionsWithIndex(
        (index, blocks) -> List.of(new Tuple2<>(index, task.apply(TaskContext.get(),
            JavaConverters.asScalaIteratorConverter(blocks).asScala()))).iterator(), true);
    JavaPairRDD<Integer, U> grouped = JavaPairRDD.fromJavaRDD(results)
        .repartitionAndSortWithinPartitions(new Groups(train.getNumPartitions(), groups));
    JavaRDD<V> folded = grouped.mapPartitions(
        members -> List.of(fold.fold(new Values<>(members))).iterator(), true);
    try {
      jsc.sc().runJob(folded.rdd(), new First<>(), StepRunner.partitions(groups), reducer, type);
    } finally {
      int shuffle = ((ShuffleDependency<?, ?, ?>) grouped.rdd().dependencies().head())
          .shuffleId();
      Option<ContextCleaner> cleaner = jsc.sc().cleaner();
      if (cleaner.isDefined()) {
        cleaner.get().doCleanupShuffle(shuffle, false);
      }
    }
  }

  /** The values of a group's (partition index, result) pairs, in their (sorted) order. */
  private static final class Values<U> implements Iterator<U> {
    private final Iterator<Tuple2<Integer, U>> members;

    Values(Iterator<Tuple2<Integer, U>> members) {
      this.members = members;
    }

    @Override
    public boolean hasNext() {
      return members.hasNext();
    }

    @Override
    public U next() {
      return members.next()._2();
    }
  }

  private static final ClassTag<GradientPayload> PAYLOAD =
      ClassTag$.MODULE$.apply(GradientPayload.class);

  /** A group's one result, as the task's result. */
  static final class First<V> extends AbstractFunction2<TaskContext, scala.collection.Iterator<V>,
      V> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public V apply(TaskContext context, scala.collection.Iterator<V> result) {
      return result.next();
    }
  }

  /**
   * A group's sign payloads, arriving sorted by partition index, decoded in that order into one
   * accumulator of the step's kind: means over {@code segments}, or votes when it is null.
   */
  static GroupFold<SignPayload, SignAccumulator> signFold(Segments segments, int length) {
    return members -> {
      SignAccumulator acc = segments != null ? SignAccumulator.forMean(segments)
          : SignAccumulator.forVotes(length);
      while (members.hasNext()) {
        acc.add(members.next());
      }
      return acc;
    };
  }

  /** One group's gradients, arriving sorted by partition index, summed in that order. */
  private static GradientPayload sumInOrder(Iterator<GradientPayload> members) {
    GradientPayload sum = GradientPayload.empty();
    while (members.hasNext()) {
      sum = sum.merge(members.next());
    }
    return sum;
  }
}
