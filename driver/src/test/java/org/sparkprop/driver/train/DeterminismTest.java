package org.sparkprop.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.cli.TrainCommand;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.spark.SparkSetup;

/**
 * DESIGN.md section 4: same data, config, seed and partition count give bitwise-identical
 * parameters across runs, across schedulers (local[1] vs local[2]) and across a forced task
 * retry. Each run gets its own Spark context, since the master differs.
 */
class DeterminismTest {
  @TempDir static java.nio.file.Path dir;
  static java.nio.file.Path dense;
  static java.nio.file.Path sparse;

  @BeforeAll
  static void data() {
    dense = TestFiles.generate(dir.resolve("teacher.csv"), "--kind", "teacher-mlp",
        "--format", "csv", "--rows", "3000", "--features", "12", "--classes", "3",
        "--hidden", "8", "--seed", "7");
    sparse = TestFiles.generate(dir.resolve("logistic.libsvm"), "--kind", "logistic",
        "--format", "libsvm", "--rows", "3000", "--features", "500", "--nnz", "10",
        "--seed", "8");
  }

  private static TrainingConfig config(String kind, String... extra) {
    String hocon = kind.equals("dense")
        ? "data { format = csv, train = \"" + dense + "\", test_fraction = 0.2, partitions = 2,"
            + " block_rows = 300 }\n"
            + "model { type = mlp, hidden = [16], activation = tanh, outputs = 3 }\n"
        : "data { format = libsvm, train = \"" + sparse + "\", test_fraction = 0.2,"
            + " partitions = 2, block_rows = 500 }\n"
            + "model { type = logistic_regression }\n";
    hocon += "train { epochs = 2, batch_size = 64, log_every = 1000 }\n"
        + "optimizer { name = adam, lr = 0.01 }\nrun { seed = 11 }\n";
    return TestFiles.config(hocon, extra);
  }

  /** Trains on a fresh context and returns the saved parameters and the failed task count. */
  private static Run train(String master, TrainingConfig config, String name) throws Exception {
    AtomicInteger failedTasks = new AtomicInteger();
    try (JavaSparkContext jsc = new JavaSparkContext(SparkSetup.conf(master, "determinism")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"))) {
      jsc.setLogLevel("ERROR");
      jsc.sc().addSparkListener(new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          if (!end.taskInfo().successful()) {
            failedTasks.incrementAndGet();
          }
        }
      });
      java.nio.file.Path runDir = dir.resolve(name);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = TrainCommand.train(jsc, config, runDir.toString(),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, code, () -> err.toString(StandardCharsets.UTF_8));
      float[] params = ModelFile.read(new Path(runDir.resolve(RunDirectory.MODEL).toString()),
          jsc.hadoopConfiguration()).params();
      double bytesUp = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(runDir.resolve(RunDirectory.SUMMARY).toFile())
          .get("bytes_up_per_step").asDouble();
      return new Run(params, failedTasks.get(), bytesUp);
    }
  }

  /** A run's saved parameters, failed tasks and bytes into the driver per step. */
  private record Run(float[] params, int failedTasks, double bytesUpPerStep) {}

  @Test
  void twoRunsAreBitwiseIdentical() throws Exception {
    Run a = train("local[2]", config("dense"), "a");
    Run b = train("local[2]", config("dense"), "b");
    assertArrayEquals(a.params(), b.params());
  }

  @Test
  void localOneAndLocalTwoAgree() throws Exception {
    Run one = train("local[1]", config("dense"), "one");
    Run two = train("local[2]", config("dense"), "two");
    assertArrayEquals(one.params(), two.params());
  }

  /** The dense MLP config in a sign exchange mode, with the optimizer that mode needs. */
  private static TrainingConfig signConfig(String mode, String... extra) {
    String optimizer = switch (mode) {
      case "sign-majority" -> "optimizer { name = sign, lr = 0.002 }";
      case "onebit-rmsprop" -> "optimizer { name = rmsprop, lr = 0.002, momentum = 0.5 }";
      default -> "optimizer { name = adam, lr = 0.01 }";
    };
    String[] all = new String[extra.length + 3];
    all[0] = "exchange=" + mode;
    all[1] = "sign.freeze_step=10";
    all[2] = "sign.momentum=" + (mode.equals("sign-majority") ? "0.5" : "0");
    System.arraycopy(extra, 0, all, 3, extra.length);
    return TestFiles.config("data { format = csv, train = \"" + dense + "\","
        + " test_fraction = 0.2, partitions = 2, block_rows = 300 }\n"
        + "model { type = mlp, hidden = [16], activation = tanh, outputs = 3 }\n"
        + "train { epochs = 2, batch_size = 64, log_every = 1000 }\n" + optimizer
        + "\nrun { seed = 11 }\n", all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sign-ef", "sign-majority", "onebit-adam", "onebit-rmsprop"})
  void signModesAreDeterministicAcrossRetriesAndSchedulers(String mode) throws Exception {
    // Step 15 is after the 1-bit warm-up (10 steps), so the retried task reads a residual.
    Run clean = train("local[2]", signConfig(mode), mode + "-clean");
    Run retried = train("local[2,3]", signConfig(mode, "testing.fail_task_at_step=15",
        "testing.fail_task_partition=1"), mode + "-retried");
    Run single = train("local[1]", signConfig(mode), mode + "-single");
    assertEquals(1, retried.failedTasks(), "the injected fault must have fired exactly once");
    assertArrayEquals(clean.params(), retried.params(), "retry changed the bits");
    assertArrayEquals(clean.params(), single.params(), "local[1] and local[2] differ");
  }

  /**
   * The failed attempt has already computed its payload and written its new executor state when
   * it fails: the retry must read the state of the step before (still held), not the one the
   * failed attempt wrote, or the bits would change. A store that overwrote residuals in place
   * fails this test.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sign-ef", "sign-majority", "onebit-adam", "onebit-rmsprop"})
  void aRetryAfterTheFailedAttemptWroteItsStateGivesTheSameBits(String mode) throws Exception {
    Run clean = train("local[2]", signConfig(mode), mode + "-clean-w");
    Run retried = train("local[2,3]", signConfig(mode, "testing.fail_task_at_step=15",
        "testing.fail_task_partition=1", "testing.fail_after_state_write=true"),
        mode + "-retried-w");
    assertEquals(1, retried.failedTasks(), "the injected fault must have fired exactly once");
    assertArrayEquals(clean.params(), retried.params(), "the retry read the failed write");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense", "sparse"})
  void aRetriedTaskGivesTheSameBits(String kind) throws Exception {
    Run clean = train("local[2]", config(kind), kind + "-clean");
    Run retried = train("local[2,3]", config(kind, "testing.fail_task_at_step=5",
        "testing.fail_task_partition=1"), kind + "-retried");
    assertEquals(0, clean.failedTasks());
    assertEquals(1, retried.failedTasks(), "the injected fault must have fired exactly once");
    assertArrayEquals(clean.params(), retried.params());
  }

  /**
   * reduce.mode = tree: 6 partitions summed in 2 groups on the executors. The same bits on one,
   * two and four task slots and after a retried gradient task; close to, but not the bits of, the
   * direct sum of the same 6 partitions (another order of float additions).
   */
  @Test
  void theReductionTreeGivesTheSameBitsOnAnyExecutorsAndAfterARetry() throws Exception {
    String[] tree = {"data.partitions=6", "reduce.mode=tree", "reduce.groups=2"};
    Run one = train("local[1]", config("dense", tree), "tree-1");
    Run two = train("local[2]", config("dense", tree), "tree-2");
    Run four = train("local[4]", config("dense", tree), "tree-4");
    Run retried = train("local[2,3]", config("dense", "data.partitions=6", "reduce.mode=tree",
        "reduce.groups=2", "testing.fail_task_at_step=5", "testing.fail_task_partition=3"),
        "tree-retried");
    Run direct = train("local[2]", config("dense", "data.partitions=6", "reduce.mode=direct"),
        "direct-6");
    assertArrayEquals(one.params(), two.params(), "local[1] and local[2]");
    assertArrayEquals(one.params(), four.params(), "local[1] and local[4]");
    assertEquals(1, retried.failedTasks(), "the injected fault must have fired exactly once");
    assertArrayEquals(one.params(), retried.params(), "a retried task");
    assertFalse(Arrays.equals(one.params(), direct.params()), "the tree is another sum order");
    for (int i = 0; i < one.params().length; i++) {
      assertEquals(direct.params()[i], one.params()[i], 1e-3, "param " + i);
    }
  }

  /**
   * reduce.mode = tree in the sign modes: 6 partitions' payloads decoded in 2 groups on the
   * executors. The same bits on one and four task slots and after a retry whose failed attempt
   * had written its executor state. Majority votes are integers, so the tree gives the direct
   * way's bits; decoded means are float sums in another order (and 1-bit Adam's dense warm-up
   * goes through the dense tree), close to the direct way's. What reaches the driver does not
   * grow with the partitions: 12 partitions bring the same bytes a step as 6.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sign-ef", "sign-majority", "onebit-adam"})
  void signPayloadsThroughTheTreeGiveTheSameBitsOnAnyExecutorsAndAfterARetry(String mode)
      throws Exception {
    String[] tree = {"data.partitions=6", "reduce.mode=tree", "reduce.groups=2"};
    Run one = train("local[1]", signConfig(mode, tree), mode + "-tree-1");
    Run four = train("local[4]", signConfig(mode, tree), mode + "-tree-4");
    Run retried = train("local[2,3]", signConfig(mode, "data.partitions=6", "reduce.mode=tree",
        "reduce.groups=2", "testing.fail_task_at_step=15", "testing.fail_task_partition=3",
        "testing.fail_after_state_write=true"), mode + "-tree-retried");
    Run direct = train("local[2]", signConfig(mode, "data.partitions=6", "reduce.mode=direct"),
        mode + "-direct-6");
    assertArrayEquals(one.params(), four.params(), "local[1] and local[4]");
    assertEquals(1, retried.failedTasks(), "the injected fault must have fired exactly once");
    assertArrayEquals(one.params(), retried.params(), "a retry after the state write");
    if (mode.equals("sign-majority")) {
      assertArrayEquals(direct.params(), one.params(), "votes add up to the same counts");
    } else {
      assertFalse(Arrays.equals(one.params(), direct.params()), "another sum order");
      for (int i = 0; i < one.params().length; i++) {
        assertEquals(direct.params()[i], one.params()[i], 2e-2, "param " + i);
      }
    }
    if (mode.equals("sign-ef")) {
      // A wider model, so that a group's 33k decoded floats outweigh each task's few hundred
      // bytes of result envelope (which every Spark task sends, in a tree or not).
      String[] wide = {"model.hidden=[2048]", "reduce.mode=tree", "reduce.groups=2"};
      Run six = train("local[2]", signConfig(mode, concat(wide, "data.partitions=6")),
          mode + "-wide-6");
      Run twelve = train("local[2]", signConfig(mode, concat(wide, "data.partitions=12")),
          mode + "-wide-12");
      assertEquals(six.bytesUpPerStep(), twelve.bytesUpPerStep(), 0.05 * six.bytesUpPerStep(),
          "bytes into the driver a step with 6 and 12 partitions");
      assertTrue(direct.bytesUpPerStep() < one.bytesUpPerStep(),
          "at 6 partitions the direct way's bits are fewer than 2 groups' floats");
    }
  }

  private static String[] concat(String[] a, String b) {
    String[] all = Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }

  @Test
  void aDifferentSeedGivesDifferentParameters() throws Exception {
    Run a = train("local[2]", config("dense"), "seed-a");
    Run b = train("local[2]", config("dense", "run.seed=12"), "seed-b");
    assertFalse(Arrays.equals(a.params(), b.params()));
    assertTrue(a.params().length > 0);
  }
}
