package org.sparkprop.driver.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkprop.core.data.Block;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;

/**
 * Keeps the cached training data spread over the live executors: looks every {@value
 * #CHECK_STEPS} steps at where the steps' tasks ran.
 */
final class Placement {
  private static final Logger LOG = LoggerFactory.getLogger(Placement.class);
  /** Steps between two looks at where the steps' tasks ran. */
  static final int CHECK_STEPS = 25;

  private final JavaSparkContext jsc;
  private final TrafficMeter traffic;
  private final Consumer<String> notes;
  private int stepsSinceCheck;
  private int checksToSkip;
  private int respreads;

  /** @param notes receives a line for the console when the data is spread out again */
  Placement(JavaSparkContext jsc, TrafficMeter traffic, Consumer<String> notes) {
    this.jsc = jsc;
    this.traffic = traffic;
    this.notes = notes;
  }

  /** After a step: the data to train on from now on, {@code train} or a spread copy of it. */
  JavaRDD<Block> afterStep(JavaRDD<Block> train) {
    if (++stepsSinceCheck < CHECK_STEPS) {
      return train;
    }
    stepsSinceCheck = 0;
    return check(train);
  }


  /**
   * Spreads the cached partitions out again when the steps of the last {@value
   * #CHECK_STEPS} ran on fewer executors than there are (and there are partitions for
   * more). That is what an executor loss leaves: Spark recomputes the lost partitions on the
   * survivors, and a task goes where its partition is cached, so a replacement executor would
   * idle for the rest of the run. The copy has the same partitions with the same rows, so the
   * results stay bit for bit the same; in sign modes, partitions that moved restart their
   * residuals (counted as state restarts).
   */
  private JavaRDD<Block> check(JavaRDD<Block> train) {
    java.util.Set<String> ran = traffic.drainExecutors();
    if (checksToSkip > 0) {
      checksToSkip--;
      return train;
    }
    if (jsc.sc().isLocal()) {
      return train;
    }
    List<String> live = liveExecutors();
    int partitions = train.getNumPartitions();
    if (ran.isEmpty() || ran.size() >= Math.min(live.size(), partitions)) {
      return train;
    }
    notes.accept(String.format(java.util.Locale.ROOT, "sparkprop: the last %d steps ran on %d "
        + "of %d executors: spreading the %d cached partitions over them again",
        CHECK_STEPS, ran.size(), live.size(), partitions));
    JavaRDD<Block> old = train;
    try {
      JavaRDD<Block> spread = new JavaRDD<>(new SpreadRDD(old.rdd(), live),
          ClassTag$.MODULE$.apply(Block.class));
      spread.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK())
          .setName("sparkprop training blocks (spread " + (respreads + 1) + ")");
      spread.count();
      respreads++;
      old.unpersist(false);
      train = spread;
    } catch (Exception e) { // SparkException is checked, thrown undeclared
      LOG.warn("could not spread the training data out again; training goes on where it is", e);
    }
    checksToSkip = 2; // let the new placement show before judging it
    return train;
  }

  /**
   * The task locations ({@code executor_HOST_ID}) of the live executors, by executor id. From
   * Spark's status store: its executor list is what the UI shows.
   */
  private List<String> liveExecutors() {
    List<String> out = new ArrayList<>();
    for (org.apache.spark.status.api.v1.ExecutorSummary e : JavaConverters.seqAsJavaListConverter(
        jsc.sc().statusStore().executorList(true)).asJava()) {
      if (!"driver".equals(e.id())) {
        String hostPort = e.hostPort();
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':'))
            : hostPort;
        out.add("executor_" + host + "_" + e.id());
      }
    }
    out.sort(java.util.Comparator.naturalOrder());
    return out;
  }

  /** How often the cached data was spread out again. */
  int respreads() {
    return respreads;
  }
}
