package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;

/** Each model family trains on generated data on local[2] and writes a complete run directory. */
class TrainEndToEndTest extends SparkTestBase {
  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  /** Output of one run. */
  record Outcome(int code, String out, String err, Path runDir) {
    JsonNode summary() throws Exception {
      return new ObjectMapper().readTree(runDir.resolve(RunDirectory.SUMMARY).toFile());
    }
  }

  Outcome train(TrainingConfig config) {
    Path runDir = dir.resolve("run-" + System.nanoTime());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), config, runDir.toString(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8), runDir);
  }

  /**
   * Spark's UI names what runs: every step job "sparkprop step k/N" in order, every evaluation
   * "sparkprop evaluate epoch e", and nothing is left set on the context after the run.
   */
  /** The local property behind JavaSparkContext.setJobDescription (Spark keeps its name private). */
  private static final String JOB_DESCRIPTION = "spark.job.description";

  @Test
  void everyJobIsNamedForTheSparkUi() throws Exception {
    Path data = TestFiles.generate(dir.resolve("ui.csv"), "--kind", "logistic", "--format",
        "csv", "--rows", "1200", "--features", "4", "--test-rows", "200", "--seed", "4");
    List<String> names = new ArrayList<>();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        String d = start.properties() == null ? null
            : start.properties().getProperty(JOB_DESCRIPTION);
        if (d != null && d.startsWith("sparkprop ")) {
          synchronized (names) {
            names.add(d);
          }
        }
      }
    };
    jsc().sc().addSparkListener(listener);
    Outcome o;
    try {
      o = train(TestFiles.config("data { format = csv, train = \"" + data + "\", test = \""
          + dir.resolve("ui.test.csv") + "\", partitions = 2 }\n"
          + "model.type = logistic_regression\ntrain { epochs = 2, batch_size = 200 }\n"));
    } finally {
      jsc().sc().listenerBus().waitUntilEmpty(10_000);
      jsc().sc().removeSparkListener(listener);
    }
    assertEquals(0, o.code(), o.err());
    int steps = 12; // 1,200 rows, batch 200, 2 epochs
    List<String> expected = new ArrayList<>();
    for (int k = 1; k <= steps; k++) {
      expected.add("sparkprop step " + k + "/" + steps);
      if (k % 6 == 0) {
        expected.add("sparkprop evaluate epoch " + k / 6);
      }
    }
    synchronized (names) {
      assertEquals(expected, names);
    }
    assertNull(jsc().getLocalProperty(JOB_DESCRIPTION));
  }

  @Test
  void logisticRegressionOnSparseLibsvmLearnsTheBoundary() throws Exception {
    Path data = TestFiles.generate(dir.resolve("log.libsvm"), "--kind", "logistic", "--format",
        "libsvm", "--rows", "6000", "--features", "1000", "--nnz", "20", "--noise", "0.05",
        "--test-rows", "1000", "--seed", "3");
    Outcome o = train(TestFiles.config("data { format = libsvm, train = \"" + data
        + "\", test = \"" + dir.resolve("log.test.libsvm") + "\", partitions = 2 }\n"
        + "model.type = logistic_regression\n"
        + "train { epochs = 8, batch_size = 128 }\noptimizer { name = adam, lr = 0.05 }"));
    assertEquals(0, o.code(), o.err());
    JsonNode s = o.summary();
    assertEquals(1000, s.get("num_params").asInt() - 1, "1000 weights + 1 bias");
    assertTrue(s.get("test_accuracy").asDouble() > 0.80, o.out());
  }

  @Test
  void softmaxRegressionOnCsvWithHeaderAndLastLabelColumn() throws Exception {
    Path data = TestFiles.generate(dir.resolve("multi.csv"), "--kind", "multiclass", "--format",
        "csv", "--rows", "4000", "--features", "10", "--classes", "4", "--noise", "0.0",
        "--header", "--seed", "5");
    // The generator puts the label first; the loader is told so explicitly.
    Outcome o = train(TestFiles.config("data { format = csv, train = \"" + data + "\","
        + " test_fraction = 0.25, partitions = 3, csv { header = true, label_column = 0 } }\n"
        + "model { type = softmax_regression, outputs = 4 }\n"
        + "train { epochs = 10, batch_size = 100 }\noptimizer { name = adam, lr = 0.05 }"));
    assertEquals(0, o.code(), o.err());
    assertTrue(o.summary().get("test_accuracy").asDouble() > 0.85, o.out());
    assertEquals(3, o.summary().get("partitions").asInt());
  }

  @Test
  void linearRegressionReachesTheNoiseLevel() throws Exception {
    Path data = TestFiles.generate(dir.resolve("lin.csv"), "--kind", "linear", "--format", "csv",
        "--rows", "4000", "--features", "8", "--noise", "0.1", "--seed", "9");
    Outcome o = train(TestFiles.config("data { format = csv, train = \"" + data + "\","
        + " test_fraction = 0.2, partitions = 2 }\nmodel.type = linear_regression\n"
        + "train { epochs = 20, batch_size = 64 }\noptimizer { name = adam, lr = 0.02 }"));
    assertEquals(0, o.code(), o.err());
    double rmse = o.summary().get("test_rmse").asDouble();
    assertTrue(rmse < 0.2, "test RMSE " + rmse + " should approach the noise std 0.1");
  }

  @Test
  void mlpWithSgdMomentumWritesACompleteRunDirectory() throws Exception {
    Path data = TestFiles.generate(dir.resolve("teacher.csv"), "--kind", "teacher-mlp",
        "--format", "csv", "--rows", "3000", "--features", "10", "--classes", "3", "--hidden",
        "8", "--seed", "2");
    TrainingConfig config = TestFiles.config("data { format = csv, train = \"" + data + "\","
        + " test_fraction = 0.2, partitions = 2 }\n"
        + "model { type = mlp, hidden = [32, 16], activation = relu, outputs = 3 }\n"
        + "train { epochs = 6, batch_size = 50, log_every = 10 }\n"
        + "optimizer { name = sgd, lr = 0.1, momentum = 0.9 }");
    Outcome o = train(config);
    assertEquals(0, o.code(), o.err());

    List<JsonNode> trainLines = new ArrayList<>();
    List<JsonNode> evalLines = new ArrayList<>();
    for (String line : Files.readAllLines(o.runDir().resolve(RunDirectory.METRICS))) {
      JsonNode n = json.readTree(line);
      (n.get("type").asText().equals("train") ? trainLines : evalLines).add(n);
    }
    for (String key : List.of("step", "epoch", "loss", "lr", "samples_per_s")) {
      assertTrue(trainLines.get(0).has(key), "train metrics lack " + key);
    }
    assertEquals(6, evalLines.size(), "one evaluation per epoch");
    for (String key : List.of("epoch", "test_loss", "test_accuracy")) {
      assertTrue(evalLines.get(0).has(key), "eval metrics lack " + key);
    }
    double first = trainLines.get(0).get("loss").asDouble();
    double last = trainLines.get(trainLines.size() - 1).get("loss").asDouble();
    assertTrue(last < 0.6 * first, "loss went from " + first + " to " + last);
    assertTrue(evalLines.get(5).get("test_accuracy").asDouble() > 0.7);

    ModelFile.Contents model = ModelFile.read(new org.apache.hadoop.fs.Path(
        o.runDir().resolve(RunDirectory.MODEL).toString()), jsc().hadoopConfiguration());
    assertEquals(ModelSpec.mlp(10, new int[] {32, 16}, config.model().activation(), 3,
        config.model().loss()), model.spec());
    // The hash of the run's own resolved config (data paths made absolute), as config.conf holds it.
    assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest
        .getInstance("SHA-256").digest(Files.readAllBytes(o.runDir().resolve(RunDirectory.CONFIG)))),
        model.configHash());
    assertTrue(Files.readString(o.runDir().resolve(RunDirectory.CONFIG)).contains("momentum"));
    assertTrue(o.out().contains("samples/s") && o.out().contains("ETA"), o.out());
  }

  @Test
  void fullBatchTrainingUsesEveryRowEveryStep() throws Exception {
    Path data = TestFiles.generate(dir.resolve("fb.csv"), "--kind", "logistic", "--format",
        "csv", "--rows", "1000", "--features", "5", "--seed", "4");
    Outcome o = train(TestFiles.config("data { format = csv, train = \"" + data + "\","
        + " partitions = 2 }\nmodel.type = logistic_regression\n"
        + "train { epochs = 30, batch_size = full }\noptimizer { name = adam, lr = 0.1 }"));
    assertEquals(0, o.code(), o.err());
    assertEquals(30, o.summary().get("steps").asInt());
    assertEquals(1000, o.summary().get("global_batch").asInt());
  }
}
