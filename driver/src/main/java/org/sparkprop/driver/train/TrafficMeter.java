package org.sparkprop.driver.train;

import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.BlockStatus;
import org.apache.spark.storage.BroadcastBlockId;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Measures the bytes a training step moves, from Spark itself: the serialized task results of
 * the step's job (up-link, reported by {@link SparkListenerTaskEnd} as {@code resultSize}) and
 * the stored size of the step-state broadcast's pieces (down-link: what each executor fetches).
 *
 * <p>Only jobs tagged with {@link #TAG} count. State is bounded: stages are forgotten when they
 * complete, and the listener is removed when the meter is closed.
 */
final class TrafficMeter extends SparkListener implements AutoCloseable {
  /** Local property that marks a job as a training step. */
  static final String TAG = "sparkprop.traffic";

  private final SparkContext sc;
  private final Set<Integer> stepStages = ConcurrentHashMap.newKeySet();
  private final AtomicLong resultBytes = new AtomicLong();
  private long broadcastBytes;

  TrafficMeter(SparkContext sc) {
    this.sc = sc;
    sc.addSparkListener(this);
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    Properties p = start.properties();
    if (p != null && "step".equals(p.getProperty(TAG))) {
      for (Object id : JavaConverters.seqAsJavaListConverter(start.stageIds()).asJava()) {
        stepStages.add((Integer) id);
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (stepStages.contains(end.stageId()) && end.taskMetrics() != null
        && end.taskInfo().successful()) {
      resultBytes.addAndGet(end.taskMetrics().resultSize());
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    stepStages.remove(completed.stageInfo().stageId());
  }

  /** Adds the stored size of a broadcast's pieces to the down-link total. */
  void countBroadcast(Broadcast<?> b) {
    long bytes = 0;
    for (int piece = 0; ; piece++) {
      Option<BlockStatus> status = SparkEnv.get().blockManager()
          .getStatus(new BroadcastBlockId(b.id(), "piece" + piece));
      if (status.isEmpty()) {
        break;
      }
      bytes += status.get().memSize() + status.get().diskSize();
    }
    broadcastBytes += bytes;
  }

  /** Up-link bytes of all tagged jobs so far (waits for Spark's listener events). */
  long resultBytes() {
    try {
      sc.listenerBus().waitUntilEmpty(10_000);
    } catch (TimeoutException e) {
      // The count may lag by a few events; it is a measurement, not a result.
    }
    return resultBytes.get();
  }

  /** Down-link bytes of all counted broadcasts so far. */
  long broadcastBytes() {
    return broadcastBytes;
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
  }
}
