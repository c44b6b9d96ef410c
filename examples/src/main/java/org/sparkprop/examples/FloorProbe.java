package org.sparkprop.examples;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.sparkprop.driver.spark.SparkSetup;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * What a one-job step costs in local mode, phase by phase. Runs jobs on a cached 2-partition RDD
 * whose tasks record {@code System.nanoTime()} when they start and end (local mode: one JVM, one
 * clock), and splits each job's wall time into: submit to the first task starting, the tasks,
 * the last task's end to the last result handled on the driver, and that to {@code runJob}
 * returning. Variants add the pieces a training step has: a broadcast of W1's parameters read
 * by each task, a W1-sized float result per task, and 4 ms of busy compute per task (W1's).
 * The bench's floor, {@code rdd.count()}, is timed too: it pays for Spark's closure cleaning and
 * a serialized Scala lambda, which a job with a plain function object does not.
 *
 * <pre>SPARKPROP_MAIN=org.sparkprop.examples.FloorProbe bin/sparkprop [jobs] [master]</pre>
 */
public final class FloorProbe {
  /** Per job id: task start and end nanos per partition (local mode only). */
  static final ConcurrentHashMap<Long, long[]> TASKS = new ConcurrentHashMap<>();

  private FloorProbe() {}

  public static void main(String[] args) {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    String master = args.length > 1 ? args[1] : "local[2]";
    PrintStream out = System.out;
    try (JavaSparkContext jsc = new JavaSparkContext(SparkSetup.conf(master, "floor-probe"))) {
      jsc.setLogLevel("WARN");
      List<float[]> rows = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        rows.add(new float[] {i});
      }
      JavaRDD<float[]> rdd = jsc.parallelize(rows, 2).persist(StorageLevel.MEMORY_ONLY());
      rdd.count();
      int params = 203_530; // W1: 784*256 + 256 + 256*10 + 10
      out.println("FloorProbe, " + master + ", " + jobs + " jobs per variant, p50 in ms");
      out.println(String.format(Locale.ROOT, "  %-40s %8s %8s %8s %8s %8s %8s", "variant",
          "job", "bcast", "to-start", "tasks", "to-result", "to-return"));
      for (int round = 0; round < 2; round++) { // the first round warms up
        double floorMs = Bench.trivialJobFloorMs(jsc); // the bench's own measurement
        if (round == 1) {
          out.println(String.format(Locale.ROOT, "  %-40s %8.2f", "rdd.count() (the bench's floor)",
              floorMs));
        }
        for (String v : new String[] {"runJob, no closure", "broadcast", "result",
            "broadcast+result", "broadcast+result+4ms spin"}) {
          boolean bc = v.contains("broadcast");
          boolean res = v.contains("result");
          long spin = v.contains("spin") ? 4_000_000 : 0;
          double[][] t = run(jsc, rdd, jobs, bc ? params : 0, res ? params : 0, spin);
          if (round == 1) {
            out.println(String.format(Locale.ROOT, "  %-40s %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f",
                v, p50(t[0]), p50(t[1]), p50(t[2]), p50(t[3]), p50(t[4]), p50(t[5])));
          }
        }
      }
    }
  }

  private static double p50(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  /** Returns per-phase ms arrays: job, broadcast, to-start, tasks, to-result, to-return. */
  private static double[][] run(JavaSparkContext jsc, JavaRDD<float[]> rdd, int jobs,
      int broadcastFloats, int resultFloats, long spinNanos) {
    double[][] t = new double[6][jobs];
    Seq<Object> parts = JavaConverters.asScalaBufferConverter(List.<Object>of(0, 1)).asScala()
        .toSeq();
    Broadcast<float[]> previous = null;
    for (int j = 0; j < jobs; j++) {
      long id = j;
      long[] handled = new long[2];
      long t0 = System.nanoTime();
      Broadcast<float[]> b = broadcastFloats > 0 ? jsc.broadcast(new float[broadcastFloats]) : null;
      if (previous != null) {
        previous.destroy();
      }
      previous = b;
      long t1 = System.nanoTime();
      TASKS.put(id, new long[4]);
      jsc.sc().runJob(rdd.rdd(), new ProbeTask(id, b, resultFloats, spinNanos), parts,
          new AbstractFunction2<Object, float[], BoxedUnit>() {
            @Override
            public BoxedUnit apply(Object index, float[] r) {
              handled[(Integer) index] = System.nanoTime();
              return BoxedUnit.UNIT;
            }
          }, ClassTag$.MODULE$.apply(float[].class));
      long t2 = System.nanoTime();
      long[] task = TASKS.remove(id);
      long firstStart = Math.min(task[0], task[2]);
      long lastEnd = Math.max(task[1], task[3]);
      long lastHandled = Math.max(handled[0], handled[1]);
      t[0][j] = (t2 - t0) / 1e6;
      t[1][j] = (t1 - t0) / 1e6;
      t[2][j] = (firstStart - t1) / 1e6;
      t[3][j] = (lastEnd - firstStart) / 1e6;
      t[4][j] = (lastHandled - lastEnd) / 1e6;
      t[5][j] = (t2 - lastHandled) / 1e6;
    }
    if (previous != null) {
      previous.destroy();
    }
    return t;
  }

  /** Records its start and end; reads the broadcast; returns a float array of the given size. */
  static final class ProbeTask extends AbstractFunction2<TaskContext, Iterator<float[]>, float[]>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long id;
    private final Broadcast<float[]> broadcast;
    private final int resultFloats;
    private final long spinNanos;

    ProbeTask(long id, Broadcast<float[]> broadcast, int resultFloats, long spinNanos) {
      this.id = id;
      this.broadcast = broadcast;
      this.resultFloats = resultFloats;
      this.spinNanos = spinNanos;
    }

    @Override
    public float[] apply(TaskContext context, Iterator<float[]> it) {
      long start = System.nanoTime();
      float sum = 0;
      while (it.hasNext()) {
        sum += it.next()[0];
      }
      if (broadcast != null) {
        sum += broadcast.value()[0];
      }
      while (System.nanoTime() - start < spinNanos) {
        sum += 1e-9f; // stands in for a gradient's compute
      }
      float[] result = new float[resultFloats];
      if (resultFloats > 0) {
        result[0] = sum;
      }
      long[] slot = TASKS.get(id);
      int p = context.partitionId();
      slot[2 * p] = start;
      slot[2 * p + 1] = System.nanoTime();
      return result;
    }
  }
}
