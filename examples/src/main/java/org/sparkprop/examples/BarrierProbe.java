package org.sparkprop.examples;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.driver.spark.SparkSetup;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Could a barrier stage beat the per-job floor? One long-lived barrier stage whose tasks meet
 * at {@code BarrierTaskContext.allGather} (or {@code barrier()}) once per step would replace a
 * Spark job per step. Measures, on local[2] in one run: the p50/p90 of a trivial two-task job
 * (the per-step floor of a job per step) and of one allGather and one barrier() round trip
 * between two tasks of a barrier stage.
 *
 * <pre>SPARKPROP_MAIN=org.sparkprop.examples.BarrierProbe bin/sparkprop [CALLS]</pre>
 */
public final class BarrierProbe {
  private BarrierProbe() {}

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    try (JavaSparkContext jsc = new JavaSparkContext(SparkSetup.conf("local[2]",
        "sparkprop-barrier-probe").set("spark.ui.enabled", "false")
        .set("spark.kryo.registrationRequired", "false"))) {
      jsc.setLogLevel("ERROR");
      JavaRDD<Integer> two = jsc.parallelize(List.of(0, 1), 2).cache();
      two.count();
      double[] jobs = new double[200];
      for (int i = -50; i < jobs.length; i++) {
        long t0 = System.nanoTime();
        two.foreachPartition(it -> { });
        if (i >= 0) {
          jobs[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      report("trivial 2-task job (the per-step floor)", jobs);
      for (boolean gather : new boolean[] {true, false}) {
        List<double[]> perTask = two.rdd().barrier().mapPartitions(new Meet(calls, gather), false,
            ClassTag$.MODULE$.apply(double[].class)).toJavaRDD().collect();
        report(gather ? "allGather round trip (barrier stage)" : "barrier() round trip",
            perTask.get(0));
      }
    }
  }

  private static void report(String what, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.println(String.format(Locale.ROOT, "%-42s p50 %8.2f ms   p90 %8.2f ms   (%d)",
        what, s[s.length / 2], s[(int) (s.length * 0.9)], s.length));
  }

  /** One barrier task: {@code calls} timed allGather (or barrier) calls, after one untimed. */
  static final class Meet extends AbstractFunction1<Iterator<Integer>, Iterator<double[]>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int calls;
    private final boolean gather;

    Meet(int calls, boolean gather) {
      this.calls = calls;
      this.gather = gather;
    }

    @Override
    public Iterator<double[]> apply(Iterator<Integer> partition) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      double[] ms = new double[calls];
      for (int i = -1; i < calls; i++) {
        long t0 = System.nanoTime();
        if (gather) {
          ctx.allGather("step " + i);
        } else {
          ctx.barrier();
        }
        if (i >= 0) {
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      List<double[]> out = new ArrayList<>();
      out.add(ms);
      return JavaConverters.asScalaIteratorConverter(out.iterator()).asScala();
    }
  }
}
