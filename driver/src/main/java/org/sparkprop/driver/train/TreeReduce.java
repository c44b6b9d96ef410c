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
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * The reduction tree of a dense step with many partitions: each partition's gradient is sent,
 * keyed by its index, to the group of consecutive partitions it belongs to (a shuffle between
 * executors); each group's task sums its members in partition order; the driver merges the group
 * sums in group order. The shape depends on the partition and group counts only, never on where
 * tasks run or in which order they finish, so the sum is the same floats on any executors and
 * after any retry (a lost shuffle output is recomputed from the same partition with the same
 * sampler). What reaches the driver is one gradient per group instead of one per partition.
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
   * Runs one step's tree: partition gradients (stage 1, on the cached data), shuffled to their
   * groups and sorted by partition index, summed in that order (stage 2); the group sums go to
   * {@code reducer} in group order. The step's shuffle files are removed when it is done.
   */
  static void run(JavaSparkContext jsc, JavaRDD<Block> train, Broadcast<StepState> state,
      StepSettings settings, int groups,
      OrderedReducer<GradientPayload, GradientPayload> reducer) {
    GradientTask task = new GradientTask(state, settings);
    JavaRDD<Tuple2<Integer, GradientPayload>> gradients = train.mapPartitionsWithIndex(
        (index, blocks) -> List.of(new Tuple2<>(index, task.apply(TaskContext.get(),
            JavaConverters.asScalaIteratorConverter(blocks).asScala()))).iterator(), true);
    JavaPairRDD<Integer, GradientPayload> grouped = JavaPairRDD.fromJavaRDD(gradients)
        .repartitionAndSortWithinPartitions(new Groups(train.getNumPartitions(), groups));
    JavaRDD<GradientPayload> sums = grouped.mapPartitions(TreeReduce::sumInOrder, true);
    try {
      jsc.sc().runJob(sums.rdd(), new First(), StepRunner.partitions(groups), reducer, PAYLOAD);
    } finally {
      int shuffle = ((ShuffleDependency<?, ?, ?>) grouped.rdd().dependencies().head())
          .shuffleId();
      Option<ContextCleaner> cleaner = jsc.sc().cleaner();
      if (cleaner.isDefined()) {
        cleaner.get().doCleanupShuffle(shuffle, false);
      }
    }
  }

  private static final ClassTag<GradientPayload> PAYLOAD =
      ClassTag$.MODULE$.apply(GradientPayload.class);

  /** A group's one sum, as the task's result. */
  static final class First extends AbstractFunction2<TaskContext, scala.collection.Iterator<
      GradientPayload>, GradientPayload> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public GradientPayload apply(TaskContext context,
        scala.collection.Iterator<GradientPayload> sum) {
      return sum.next();
    }
  }

  /** One group's members, arriving sorted by partition index, summed in that order. */
  private static Iterator<GradientPayload> sumInOrder(
      Iterator<Tuple2<Integer, GradientPayload>> members) {
    GradientPayload sum = GradientPayload.empty();
    while (members.hasNext()) {
      sum = sum.merge(members.next()._2());
    }
    return List.of(sum).iterator();
  }
}
