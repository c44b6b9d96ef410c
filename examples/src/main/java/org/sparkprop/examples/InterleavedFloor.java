package org.sparkprop.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.driver.io.MetricsSink;

/**
 * The trivial-job floor measured during training, so that each stretch of steps is compared
 * with a floor taken in the same state of the JVM (JIT warm-up). The trainer writes a "train"
 * record every {@code train.log_every} steps, between two steps and outside their timers; on
 * each, this sink waits {@value #SETTLE_MS} ms, so that the step's asynchronous aftermath (the
 * previous broadcast's destroy, listener events) is done, then times one {@code count()} of a
 * cached 2-partition RDD (the bench's floor job). It also keeps the record's per-step up-link
 * bytes.
 */
final class InterleavedFloor implements MetricsSink {
  /** Quiet time before each timed job. */
  static final long SETTLE_MS = 20;

  private final JavaRDD<Integer> rdd;
  private final boolean timeJobs;
  private final List<long[]> samples = new ArrayList<>(); // {step, nanos}
  private final List<long[]> bytesUp = new ArrayList<>(); // {step, mean bytes per step since}

  /** @param timeJobs false: only keep the up-link bytes (no jobs between steps) */
  InterleavedFloor(JavaSparkContext jsc, boolean timeJobs) {
    this.timeJobs = timeJobs;
    rdd = Bench.floorRdd(jsc);
  }

  @Override
  public void write(Map<String, Object> record) {
    if (!"train".equals(record.get("type"))) {
      return;
    }
    long step = ((Number) record.get("step")).longValue();
    bytesUp.add(new long[] {step, ((Number) record.get("bytes_up")).longValue()});
    if (!timeJobs) {
      return;
    }
    try {
      Thread.sleep(SETTLE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long t0 = System.nanoTime();
    rdd.count();
    samples.add(new long[] {step, System.nanoTime() - t0});
  }

  /** The median floor in ms over the samples taken after steps (from, to], or NaN if none. */
  double p50Ms(long fromStep, long toStep) {
    double[] ms = samples.stream().filter(s -> s[0] > fromStep && s[0] <= toStep)
        .mapToDouble(s -> s[1] / 1e6).sorted().toArray();
    if (ms.length == 0) {
      return Double.NaN;
    }
    int mid = ms.length / 2;
    return ms.length % 2 == 1 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
  }

  /** The number of floor samples taken after steps (from, to]. */
  long count(long fromStep, long toStep) {
    return samples.stream().filter(s -> s[0] > fromStep && s[0] <= toStep).count();
  }

  /** The mean up-link bytes per step over the last {@code steps} steps, or NaN without records. */
  double lastBytesUp(long steps) {
    double bytes = 0;
    long covered = 0;
    for (int i = bytesUp.size() - 1; i >= 0 && covered < steps; i--) {
      long window = bytesUp.get(i)[0] - (i > 0 ? bytesUp.get(i - 1)[0] : 0);
      long used = Math.min(window, steps - covered); // each record is its window's mean
      bytes += (double) bytesUp.get(i)[1] * used;
      covered += used;
    }
    return covered == 0 ? Double.NaN : bytes / covered;
  }

  @Override
  public void close() {
    rdd.unpersist();
  }
}
