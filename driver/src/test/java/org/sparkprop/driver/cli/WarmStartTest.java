package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.io.RunDirectory;

/** {@code train --init-from}: the nightly-retraining path. */
class WarmStartTest extends SparkTestBase {
  @TempDir static Path dir;
  static Path data;
  static Path trained;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void generate() {
    data = TestFiles.generate(dir.resolve("teacher.csv"), "--kind", "teacher-mlp", "--format",
        "csv", "--rows", "2000", "--features", "12", "--classes", "3", "--hidden", "8",
        "--seed", "9");
  }

  static String config() {
    return "data { format = csv, train = \"" + data + "\", test_fraction = 0.2, partitions = 2 }\n"
        + "model { type = mlp, hidden = [16], activation = tanh, outputs = 3 }\n"
        + "train { epochs = 3, batch_size = 64, log_every = 1 }\n"
        + "optimizer { name = adam, lr = 0.01 }\nrun.seed = 4\n";
  }

  record Outcome(int code, String out, String err, Path runDir) {}

  Outcome train(String initFrom, boolean optimizer, String... sets) {
    TrainingConfig config = TestFiles.config(config(), sets);
    Path runDir = dir.resolve("run-" + System.nanoTime());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), config, runDir.toString(), initFrom, optimizer,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8), runDir);
  }

  /** The loss of the first step of a run (log_every = 1). */
  static double firstLoss(Path runDir) throws Exception {
    return JSON.readTree(Files.readAllLines(runDir.resolve(RunDirectory.METRICS)).get(0))
        .path("loss").asDouble();
  }

  static double lastLoss(Path runDir) throws Exception {
    return JSON.readTree(runDir.resolve(RunDirectory.SUMMARY).toFile()).path("last_train_loss")
        .asDouble();
  }

  synchronized Path trained() {
    if (trained == null) {
      Outcome o = train(null, false);
      assertEquals(0, o.code(), o.err());
      trained = o.runDir();
    }
    return trained;
  }

  @Test
  void aModelFileARunDirectoryAndACheckpointAllStartWhereTheModelEnded() throws Exception {
    Path source = trained();
    double fresh = firstLoss(source);
    double end = lastLoss(source);
    assertTrue(end < 0.7 * fresh, "the source run learned: " + fresh + " -> " + end);
    Path lastCheckpoint;
    try (var s = Files.list(source.resolve("checkpoints"))) {
      lastCheckpoint = s.sorted().toList().get(1);
    }
    float[] finalParams = org.sparkprop.driver.io.ModelFile.decode(
        Files.readAllBytes(source.resolve(RunDirectory.MODEL)), "m").params();
    for (Path from : List.of(source.resolve(RunDirectory.MODEL), source, lastCheckpoint)) {
      // Exactly the final parameters (the last checkpoint is of the last step).
      org.junit.jupiter.api.Assertions.assertArrayEquals(finalParams, WarmStart.load(
          from.toString(), false, org.sparkprop.core.model.ModelSpec.mlp(12, new int[] {16},
              org.sparkprop.core.model.Activation.TANH, 3,
              org.sparkprop.core.model.OutputLoss.SOFTMAX_CROSS_ENTROPY),
          jsc().hadoopConfiguration(), w -> { }).state().params(), from.toString());
      Outcome o = train(from.toString(), false);
      assertEquals(0, o.code(), o.err());
      assertTrue(o.out().contains("| from " + from), o.out());
      double first = firstLoss(o.runDir());
      assertTrue(Math.abs(first - end) < 0.25 * end + 0.05 && first < 0.8 * fresh,
          from + ": first loss " + first + ", the source ended at " + end + ", began at "
              + fresh);
    }
  }

  @Test
  void anotherArchitectureIsRefusedNamingTheLayer() throws Exception {
    Outcome o = train(trained().toString(), false, "model.hidden=[24]");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("layer 1 has 12x16 weights there, 12x24 here"), o.err());
    assertFalse(o.err().contains("\tat "), o.err());
    assertFalse(Files.exists(o.runDir()), "no run directory for a refused start");
  }

  @Test
  void theOptimizerStateContinuesWhenAskedAndOnlyFromACheckpoint() throws Exception {
    Path source = trained();
    Outcome o = train(source.toString(), true, "train.epochs=1");
    assertEquals(0, o.code(), o.err());
    long sourceSteps = JSON.readTree(source.resolve(RunDirectory.SUMMARY).toFile())
        .path("steps").asLong();
    long steps = JSON.readTree(o.runDir().resolve(RunDirectory.SUMMARY).toFile())
        .path("steps").asLong();
    Path ckpt;
    try (var s = Files.list(o.runDir().resolve("checkpoints"))) {
      ckpt = s.sorted().toList().get(0);
    }
    JsonNode state = JSON.readTree(ckpt.resolve("state.json").toFile());
    // Adam's step count (its bias correction) went on from the source's final checkpoint.
    assertEquals(sourceSteps + steps, state.path("optimizer").path("steps").asLong());
    assertEquals(steps, state.path("step").asLong());

    Outcome fresh = train(source.toString(), false, "train.epochs=1");
    Path freshCkpt;
    try (var s = Files.list(fresh.runDir().resolve("checkpoints"))) {
      freshCkpt = s.sorted().toList().get(0);
    }
    assertEquals(steps, JSON.readTree(freshCkpt.resolve("state.json").toFile())
        .path("optimizer").path("steps").asLong(), "a fresh optimizer by default");

    Outcome fromFile = train(source.resolve(RunDirectory.MODEL).toString(), true);
    assertEquals(1, fromFile.code());
    assertTrue(fromFile.err().contains("a model file holds no optimizer state"), fromFile.err());

    Outcome otherOptimizer = train(source.toString(), true, "optimizer.name=sgd",
        "optimizer.lr=0.1");
    assertEquals(1, otherOptimizer.code());
    assertTrue(otherOptimizer.err().contains("the state is for 'adam', not 'sgd'"),
        otherOptimizer.err());
  }

  @Test
  void aMissingPathIsOneLine() {
    Outcome o = train(dir.resolve("nope").toString(), false);
    assertEquals(1, o.code());
    assertEquals("sparkprop train: --init-from " + dir.resolve("nope")
        + ": no such model file, run directory or checkpoint", o.err().trim());
  }
}
