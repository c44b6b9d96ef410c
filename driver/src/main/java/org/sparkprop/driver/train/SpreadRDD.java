package org.sparkprop.driver.train;

import java.util.List;
import org.apache.spark.OneToOneDependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.sparkprop.core.data.Block;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The same partitions as a cached parent, placed round-robin over a list of executors: caching
 * this RDD moves partition p to executor {@code p mod E}, reading it from the parent's cache
 * (locally or remotely) or recomputing it from the parent's lineage.
 *
 * <p>Why its own preferred locations: without them the scheduler takes a task's preference from
 * its narrow dependency, the executor where the parent's block is cached, which would pin every
 * partition where it already is, the very imbalance this undoes. The locations are Spark's
 * executor task locations ({@code executor_HOST_ID}).
 */
final class SpreadRDD extends RDD<Block> {
  private static final long serialVersionUID = 1L;
  private static final ClassTag<Block> BLOCK = ClassTag$.MODULE$.apply(Block.class);

  private final RDD<Block> parent;
  private final List<String> executors;

  /**
   * @param executors task locations {@code executor_HOST_ID}, one per live executor, in a fixed
   *     order
   */
  SpreadRDD(RDD<Block> parent, List<String> executors) {
    super(parent.context(), JavaConverters.asScalaBufferConverter(
        List.<org.apache.spark.Dependency<?>>of(new OneToOneDependency<>(parent))).asScala()
        .toSeq(), BLOCK);
    this.parent = parent;
    this.executors = List.copyOf(executors);
  }

  /** Its partitions are the parent's own (computed on the driver; executors cannot list them). */
  @Override
  public Iterator<Block> compute(Partition split, TaskContext context) {
    return parent.iterator(split, context);
  }

  @Override
  public Partition[] getPartitions() {
    return parent.partitions();
  }

  @Override
  public Seq<String> getPreferredLocations(Partition split) {
    List<String> where = executors.isEmpty() ? List.of()
        : List.of(executors.get(split.index() % executors.size()));
    return JavaConverters.asScalaBufferConverter(where).asScala().toSeq();
  }
}
