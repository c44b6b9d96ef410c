package org.sparkprop.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.dataset.DatasetLoader;
import org.sparkprop.driver.io.MetricsSink;

/**
 * Every optimizer trains something real on local Spark: mini-batch optimizers drive down the
 * loss of a small MLP; every Rprop variant converges on full-batch logistic regression.
 */
class OptimizersOnSparkTest extends SparkTestBase {
  @TempDir static Path dir;
  static Path teacher;
  static Path logistic;
  static Dataset mlpData;
  static Dataset logisticData;

  @BeforeAll
  static void data() {
    teacher = TestFiles.generate(dir.resolve("teacher.csv"), "--kind", "teacher-mlp",
        "--format", "csv", "--rows", "2000", "--features", "10", "--classes", "3", "--hidden",
        "6", "--seed", "21");
    logistic = TestFiles.generate(dir.resolve("log.csv"), "--kind", "logistic", "--format",
        "csv", "--rows", "600", "--features", "6", "--seed", "22");
  }

  @BeforeEach
  void load() {
    if (mlpData == null) {
      mlpData = load(mlpConfig("sgd", "lr = 0.1"));
      logisticData = load(rpropConfig("irprop-minus"));
    }
  }

  @AfterAll
  static void release() {
    mlpData = null;
    logisticData = null;
  }

  private Dataset load(TrainingConfig c) {
    return new DatasetLoader(jsc(), c.data(), c.model().spec(1), c.run().seed()).load();
  }

  static TrainingConfig mlpConfig(String name, String settings) {
    return TestFiles.config("data { format = csv, train = \"" + teacher + "\", partitions = 2 }\n"
        + "model { type = mlp, hidden = [16], activation = tanh, outputs = 3 }\n"
        + "train { epochs = 4, batch_size = 64, log_every = 1 }\n"
        + "optimizer { name = " + name + (settings.isEmpty() ? "" : ", " + settings) + " }\n");
  }

  static TrainingConfig rpropConfig(String name) {
    return TestFiles.config("data { format = csv, train = \"" + logistic + "\", partitions = 2 }\n"
        + "model.type = logistic_regression\n"
        + "train { epochs = 60, batch_size = full, log_every = 1 }\n"
        + "optimizer { name = " + name + " }\n");
  }

  /** Losses of every step. */
  private List<Double> losses(TrainingConfig config, Dataset data) {
    ModelSpec spec = config.model().spec(data.numFeatures());
    float[] params = new float[spec.numParams()];
    new Network(spec).init(params, 1);
    List<Double> losses = new ArrayList<>();
    MetricsSink sink = new MetricsSink() {
      @Override
      public void write(Map<String, Object> record) {
        if ("train".equals(record.get("type"))) {
          losses.add((Double) record.get("loss"));
        }
      }

      @Override
      public void close() {}
    };
    new Trainer(jsc(), config, data, spec, new PrintStream(OutputStream.nullOutputStream()))
        .run(params, sink);
    return losses;
  }

  private static double mean(List<Double> xs, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += xs.get(i);
    }
    return s / (to - from);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "sgd      | lr = 0.2",
      "sgd      | lr = 0.05, momentum = 0.9, nesterov = true",
      "adagrad  | lr = 0.1",
      "rmsprop  | lr = 0.005, centered = true, momentum = 0.5",
      "adam     | lr = 0.01, amsgrad = true",
      "adamw    | lr = 0.01",
      "sign     | lr = 0.003",
      "signum   | lr = 0.003",
  })
  void miniBatchOptimizersDecreaseTheLoss(String name, String settings) {
    List<Double> losses = losses(mlpConfig(name, settings), mlpData);
    assertEquals(125, losses.size(), "4 epochs of 2000 rows at batch 64");
    double first = mean(losses, 0, 10);
    double last = mean(losses, losses.size() - 10, losses.size());
    assertTrue(last < 0.7 * first, name + ": loss " + first + " -> " + last);
  }

  @Test
  void perEpochTimesSplitTheRunAtEpochBoundaries() {
    TrainingConfig config = mlpConfig("sgd", "lr = 0.1");
    ModelSpec spec = config.model().spec(mlpData.numFeatures());
    float[] params = new float[spec.numParams()];
    new Network(spec).init(params, 1);
    Trainer.Result r = new Trainer(jsc(), config, mlpData, spec,
        new PrintStream(OutputStream.nullOutputStream())).run(params, MetricsSink.none());
    // 2000 rows at batch 64: epoch 1 ends at step 32 (2048 rows), then every 31.25 steps;
    // the last epoch ends with the run at step 125.
    List<Long> steps = new ArrayList<>();
    long[] sums = new long[6];
    for (StepTimes t : r.epochTimes()) {
      steps.add(t.steps());
      long[] parts = {t.broadcast(), t.job(), t.slowestCompute(), t.reduce(), t.optimizer(),
          t.total()};
      for (int i = 0; i < parts.length; i++) {
        assertTrue(parts[i] >= 0, "part " + i + " of " + t);
        sums[i] += parts[i];
      }
    }
    assertEquals(List.of(32L, 31L, 31L, 31L), steps);
    StepTimes all = r.times();
    assertEquals(125, all.steps());
    assertArrayEquals(new long[] {all.broadcast(), all.job(), all.slowestCompute(), all.reduce(),
        all.optimizer(), all.total()}, sums);
    assertTrue(all.total() > 0 && all.msPerStep(all.total()) > 0);
  }

  @ParameterizedTest
  @CsvSource({"rprop-plus", "rprop-minus", "irprop-plus", "irprop-minus"})
  void everyRpropVariantConvergesFullBatch(String name) {
    List<Double> losses = losses(rpropConfig(name), logisticData);
    assertEquals(60, losses.size());
    double first = losses.get(0);
    double last = losses.get(losses.size() - 1);
    assertTrue(last < 0.25 * first, name + ": loss " + first + " -> " + last);
    // Converged: the last steps barely move the loss.
    assertTrue(Math.abs(losses.get(58) - last) < 0.02 * first, name + ": still moving");
  }
}
