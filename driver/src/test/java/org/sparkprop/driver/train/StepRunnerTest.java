package org.sparkprop.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.spark.SparkSetup;
import scala.Tuple2;

/** The step job's housekeeping: old broadcasts destroyed, a fixed call site, properties reset. */
class StepRunnerTest {
  private static JavaSparkContext jsc;
  private static JavaRDD<Block> data;
  private static final ModelSpec SPEC = ModelSpec.logisticRegression(3);

  @BeforeAll
  static void start() {
    jsc = new JavaSparkContext(SparkSetup.conf("local[2]", "step-runner-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
    jsc.setLogLevel("ERROR");
    List<Block> blocks = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      float[] x = new float[8 * 3];
      float[] y = new float[8];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) Math.sin(i + 10 * b);
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = (i + b) % 2;
      }
      blocks.add(new DenseBlock(8, 3, x, y));
    }
    data = jsc.parallelize(blocks, 2).persist(StorageLevel.MEMORY_ONLY());
  }

  @AfterAll
  static void stop() {
    jsc.close();
  }

  private static StepSettings settings() {
    return new StepSettings(SPEC, 5, 8, 2, false, 1, -1, 0, ExchangeMode.DENSE, "test-run", 0,
        -1, false, 0);
  }

  @Test
  void everyStepsBroadcastIsDestroyedOnceReplacedAndAllAreGoneAfterClose() {
    float[] params = new float[SPEC.numParams()];
    new Network(SPEC).init(params, 1);
    List<Broadcast<StepState>> seen = new ArrayList<>();
    StepRunner runner = new StepRunner(jsc, data, settings());
    try {
      for (long step = 0; step < 4; step++) {
        GradientPayload p = runner.gradient(step, params);
        assertEquals(8, p.count());
        seen.add(runner.currentBroadcast());
        if (step >= 2) {
          // At most one destroy is outstanding: two steps back is already destroyed.
          Broadcast<StepState> old = seen.get((int) step - 2);
          assertThrows(SparkException.class, old::value, "broadcast of step " + (step - 2));
        }
      }
      // The live one still serves tasks.
      assertEquals(3, seen.get(3).value().step());
    } finally {
      runner.close();
    }
    for (Broadcast<StepState> b : seen) {
      assertThrows(SparkException.class, b::value, "broadcast " + b.id() + " still usable");
    }
  }

  /**
   * The metrics' tasks_by_executor: every step task counted once on the executor that ran it
   * (local mode: the driver's), evaluation jobs not at all, and a drain starts a new window.
   * StepRunner leaves it out of local runs; this is the meter underneath.
   */
  @Test
  void theTrafficMeterCountsEachStepTaskOnItsExecutorPerWindow() throws Exception {
    float[] params = new float[SPEC.numParams()];
    try (StepRunner runner = new StepRunner(jsc, data, settings())) {
      for (long step = 0; step < 3; step++) {
        runner.gradient(step, params);
      }
      runner.evaluate(data, 3, params);
      runner.bytesUp(); // waits for the listener's events, as a log line does
      assertEquals(java.util.Map.of("driver", 6L), runner.traffic().drainTaskCounts());
      assertEquals(java.util.Map.of(), runner.traffic().drainTaskCounts());
      runner.gradient(3, params);
      runner.bytesUp();
      assertEquals(java.util.Map.of("driver", 2L), runner.traffic().drainTaskCounts());
      assertEquals(java.util.Map.of(), runner.tasksByExecutor(), "left out in local mode");
    }
  }

  /**
   * A long run keeps no per-step state in the traffic meter (driver heap flat), also when the
   * cached data came out of a shuffle, as the loader's rebalanced data does: every step job then
   * lists the shuffle's stage too, which is skipped and never completes.
   */
  @Test
  void theTrafficMeterForgetsEveryStepsStages() throws Exception {
    List<Tuple2<Integer, Block>> keyed = new ArrayList<>();
    for (Block b : data.collect()) {
      keyed.add(new Tuple2<>(keyed.size(), b));
    }
    JavaRDD<Block> shuffled = JavaPairRDD.fromJavaRDD(jsc.parallelize(keyed, 2))
        .partitionBy(new HashPartitioner(2)).values().persist(StorageLevel.MEMORY_ONLY());
    shuffled.count();
    float[] params = new float[SPEC.numParams()];
    try (StepRunner runner = new StepRunner(jsc, shuffled, settings())) {
      for (long step = 0; step < 30; step++) {
        runner.gradient(step, params);
      }
      jsc.sc().listenerBus().waitUntilEmpty(10_000);
      assertEquals(0, runner.traffic().trackedEntries());
      assertTrue(runner.bytesUp() > 0, "task results were counted");
    } finally {
      shuffled.unpersist();
    }
  }

  @Test
  void stepJobsCarryTheFixedCallSiteAndLeaveNoLocalPropertiesBehind() throws Exception {
    List<String> callSites = new ArrayList<>();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        synchronized (callSites) {
          callSites.add(start.properties().getProperty("callSite.short"));
        }
      }
    };
    jsc.sc().addSparkListener(listener);
    float[] params = new float[SPEC.numParams()];
    try (StepRunner runner = new StepRunner(jsc, data, settings())) {
      runner.gradient(0, params);
      runner.gradient(1, params);
    } finally {
      jsc.sc().listenerBus().waitUntilEmpty(10_000);
      jsc.sc().removeSparkListener(listener);
    }
    synchronized (callSites) {
      assertEquals(List.of(StepRunner.CALL_SITE, StepRunner.CALL_SITE), callSites);
    }
    assertNull(jsc.getLocalProperty("callSite.short"));
    assertNull(jsc.getLocalProperty("callSite.long"));
    assertNull(jsc.getLocalProperty(TrafficMeter.TAG));
  }
}
