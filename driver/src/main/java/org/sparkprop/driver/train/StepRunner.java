package org.sparkprop.driver.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import org.sparkprop.core.model.EvalStats;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Runs one training step as one Spark job: broadcast the parameters, one gradient task per
 * partition, results merged in partition order on the driver. Keeps exactly one live broadcast:
 * the previous step's is destroyed when the next one is made, so memory stays flat.
 */
final class StepRunner implements AutoCloseable {
  private static final ClassTag<GradientPayload> PAYLOAD = ClassTag$.MODULE$.apply(
      GradientPayload.class);
  private static final ClassTag<EvalStats> EVAL = ClassTag$.MODULE$.apply(EvalStats.class);

  private final JavaSparkContext jsc;
  private final JavaRDD<Block> train;
  private final StepSettings settings;
  private final Seq<Object> allPartitions;
  private Broadcast<StepState> current;

  /** Nanoseconds spent in the last step's broadcast and job. */
  long lastBroadcastNanos;
  long lastJobNanos;
  long lastReduceNanos;

  StepRunner(JavaSparkContext jsc, JavaRDD<Block> train, StepSettings settings) {
    this.jsc = jsc;
    this.train = train;
    this.settings = settings;
    this.allPartitions = partitions(train.getNumPartitions());
  }

  static Seq<Object> partitions(int n) {
    List<Object> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    return JavaConverters.asScalaBufferConverter(list).asScala().toSeq();
  }

  /** Computes the merged payload at {@code params} for step {@code step} (0-based). */
  GradientPayload gradient(long step, float[] params) {
    long t0 = System.nanoTime();
    rebroadcast(step, params);
    long t1 = System.nanoTime();
    OrderedReducer<GradientPayload> reducer = new OrderedReducer<>(
        train.getNumPartitions(), GradientPayload.empty(), GradientPayload::merge);
    jsc.sc().runJob(train.rdd(), new GradientTask(current, settings), allPartitions, reducer,
        PAYLOAD);
    lastBroadcastNanos = t1 - t0;
    lastJobNanos = System.nanoTime() - t1;
    lastReduceNanos = reducer.mergeNanos();
    return reducer.result();
  }

  /** Evaluates {@code params} on {@code data}. */
  EvalStats evaluate(JavaRDD<Block> data, long step, float[] params) {
    rebroadcast(step, params);
    OrderedReducer<EvalStats> reducer = new OrderedReducer<>(data.getNumPartitions(),
        EvalStats.empty(), EvalStats::merge);
    jsc.sc().runJob(data.rdd(), new EvalTask(current, settings),
        partitions(data.getNumPartitions()), reducer, EVAL);
    return reducer.result();
  }

  private void rebroadcast(long step, float[] params) {
    Broadcast<StepState> previous = current;
    current = jsc.broadcast(new StepState(step, params.clone()));
    if (previous != null) {
      previous.destroy();
    }
  }

  @Override
  public void close() {
    if (current != null) {
      current.destroy();
      current = null;
    }
  }
}
