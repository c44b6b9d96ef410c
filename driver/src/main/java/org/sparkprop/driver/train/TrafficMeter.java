package org.sparkprop.driver.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
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
 * the stored size of the step-state broadcast's pieces (down-link: what each executor fetches);
 * and which executors ran the steps' tasks (to notice partitions crowded onto few executors).
 *
 * <p>Only jobs tagged with {@link #TAG} count. State is bounded: a job's stages are forgotten when
 * the job ends (a skipped stage, e.g. the shuffle that built the cached training data, never
 * completes: forgetting stages on completion alone kept one per step, found by the 100,000-step
 * heap soak), and the listener is removed when the meter is closed.
 */
final class TrafficMeter extends SparkListener implements AutoCloseable {
  /** Local property that marks a job as a training step. */
  static final String TAG = "sparkprop.traffic";

  private final SparkContext sc;
  private final Set<Integer> stepStages = ConcurrentHashMap.newKeySet();
  /** The stage ids of each tagged job that has not ended. */
  private final Map<Integer, List<Integer>> jobStages = new ConcurrentHashMap<>();
  private final AtomicLong resultBytes = new AtomicLong();
  /** The executors that ran step tasks since {@link #drainExecutors} last emptied it. */
  private final Set<String> stepExecutors = ConcurrentHashMap.newKeySet();
  /** Step tasks per executor since {@link #drainTaskCounts} last emptied it. */
  private final Map<String, AtomicLong> taskCounts = new ConcurrentHashMap<>();
  private long broadcastBytes;

  TrafficMeter(SparkContext sc) {
    this.sc = sc;
    sc.addSparkListener(this);
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    Properties p = start.properties();
    if (p != null && "step".equals(p.getProperty(TAG))) {
      List<Integer> ids = new ArrayList<>();
      for (Object id : JavaConverters.seqAsJavaListConverter(start.stageIds()).asJava()) {
        ids.add((Integer) id);
      }
      stepStages.addAll(ids);
      jobStages.put(start.jobId(), ids);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    List<Integer> ids = jobStages.remove(end.jobId());
    if (ids != null) {
      stepStages.removeAll(ids);
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (stepStages.contains(end.stageId()) && end.taskMetrics() != null
        && end.taskInfo().successful()) {
      resultBytes.addAndGet(end.taskMetrics().resultSize());
      stepExecutors.add(end.taskInfo().executorId());
      taskCounts.computeIfAbsent(end.taskInfo().executorId(), id -> new AtomicLong())
          .incrementAndGet();
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

  /** The executors that ran step tasks since the last call (and forgets them). */
  Set<String> drainExecutors() {
    Set<String> ran = new java.util.TreeSet<>(stepExecutors);
    stepExecutors.removeAll(ran);
    return ran;
  }

  /**
   * The step tasks each executor ran since the last call, by executor id in id order (and
   * forgets them). Call after {@link #resultBytes}, which waits for the listener's events.
   */
  Map<String, Long> drainTaskCounts() {
    Map<String, Long> out = new TreeMap<>(
        Comparator.comparingLong(TrafficMeter::idOrder).thenComparing(id -> id));
    for (String id : List.copyOf(taskCounts.keySet())) {
      AtomicLong n = taskCounts.remove(id);
      if (n != null) {
        out.put(id, n.get());
      }
    }
    return out;
  }

  /** Numeric executor ids in number order (2 before 10); other ids ("driver") after them. */
  private static long idOrder(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The stages and jobs this meter still holds (tests: bounded state). */
  int trackedEntries() {
    return stepStages.size() + jobStages.size();
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
