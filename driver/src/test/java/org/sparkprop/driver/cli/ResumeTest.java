package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;

/**
 * A run stopped after any checkpoint and resumed ends with the same bits as the uninterrupted
 * run, and its metrics.jsonl continues without a duplicated or missing step: every exchange mode,
 * with and without a learning-rate schedule. The stop is simulated here (the run directory as a
 * crash would leave it: later checkpoints, the model and the summary gone, metrics written past
 * the checkpoint, the next checkpoint half written); {@link KillResumeTest} kills a real driver
 * JVM.
 */
class ResumeTest extends SparkTestBase {
  @TempDir static Path dir;
  static Path data;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void generate() {
    data = TestFiles.generate(dir.resolve("teacher.csv"), "--kind", "teacher-mlp", "--format",
        "csv", "--rows", "2000", "--features", "12", "--classes", "3", "--hidden", "8",
        "--seed", "7");
  }

  static String config(String mode, String schedule) {
    String optimizer = switch (mode) {
      case "sign-majority" -> "optimizer { name = sign, lr = 0.002 }\nsign.momentum = 0.5";
      case "onebit-rmsprop" -> "optimizer { name = rmsprop, lr = 0.002, momentum = 0.5 }";
      default -> "optimizer { name = adam, lr = 0.01 }";
    };
    String lr = schedule.equals("cosine")
        ? "lr_schedule { type = cosine, warmup_steps = 5, min_lr = 0.0001 }" : "";
    return "data { format = csv, train = \"" + data + "\", test_fraction = 0.2,"
        + " partitions = 2, block_rows = 300 }\n"
        + "model { type = mlp, hidden = [16], activation = tanh, outputs = 3 }\n"
        + "train { epochs = 2, batch_size = 64, log_every = 4 }\n"
        + optimizer + "\n" + lr + "\nexchange = " + mode + "\nsign.freeze_step = 18\n"
        + "checkpoint { every_steps = 9, every_epochs = 1, keep_last = 100 }\nrun.seed = 11\n";
  }

  /** Output of one command. */
  record Outcome(int code, String out, String err) {}

  Outcome train(String hocon, Path runDir, String... sets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    TrainingConfig config = TestFiles.config(hocon, sets);
    int code = TrainCommand.train(jsc(), config, runDir.toString(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  Outcome resume(Path runDir, String... sets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Resume.run(jsc(), runDir.toString(), null, Arrays.asList(sets),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  static float[] model(Path runDir) throws IOException {
    return ModelFile.decode(Files.readAllBytes(runDir.resolve(RunDirectory.MODEL)), "m")
        .params();
  }

  static List<Long> checkpointSteps(Path runDir) throws IOException {
    try (Stream<Path> s = Files.list(runDir.resolve("checkpoints"))) {
      return s.map(p -> Long.parseLong(p.getFileName().toString().substring(5))).sorted()
          .toList();
    }
  }

  /**
   * The run directory as a crash while writing the checkpoint after {@code step}'s leaves it: a
   * copy without the model and the summary, with the next checkpoint half written (no
   * manifest) and none after it; metrics.jsonl keeps its later lines.
   */
  static Path crashedCopy(Path runDir, long step, String name) throws IOException {
    Path copy = runDir.resolveSibling(name);
    try (Stream<Path> s = Files.walk(runDir)) {
      for (Path p : s.toList()) {
        Path target = copy.resolve(runDir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Files.delete(copy.resolve(RunDirectory.MODEL));
    Files.delete(copy.resolve(RunDirectory.SUMMARY));
    boolean next = true;
    for (long later : checkpointSteps(copy)) {
      Path laterDir = copy.resolve("checkpoints").resolve(String.format("step-%08d", later));
      if (later > step && next) {
        Files.delete(laterDir.resolve("MANIFEST.json"));
        next = false;
      } else if (later > step) {
        deleteTree(laterDir);
      }
    }
    return copy;
  }

  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  static List<String> metrics(Path runDir) throws IOException {
    return TestFiles.metricsWithoutTimings(runDir);
  }

  @ParameterizedTest(name = "{0}, {1} schedule")
  @CsvSource({"dense, constant", "dense, cosine", "sign-ef, constant", "sign-ef, cosine",
      "sign-majority, constant", "sign-majority, cosine", "onebit-adam, constant",
      "onebit-adam, cosine", "onebit-rmsprop, constant", "onebit-rmsprop, cosine"})
  void aResumedRunEndsBitwiseIdenticalToTheUninterruptedOne(String mode, String schedule)
      throws Exception {
    String name = mode + "-" + schedule;
    Path whole = dir.resolve(name);
    Outcome o = train(config(mode, schedule), whole);
    assertEquals(0, o.code(), o.err());
    float[] expected = model(whole);
    List<String> expectedMetrics = metrics(whole);
    List<Long> steps = checkpointSteps(whole);
    long last = steps.get(steps.size() - 1);
    // Every 9 steps, at the end of epoch 1 (half the run) and at the end.
    assertTrue(steps.containsAll(List.of(9L, 18L, 27L, 36L, 45L, (last + 1) / 2)), "" + steps);
    // Before the 1-bit freeze (after step 18), exactly at it, and late.
    for (long at : List.of(9L, 18L, 45L)) {
      Path crashed = crashedCopy(whole, at, name + "-from-" + at);
      Outcome r = resume(crashed);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("resuming from") && r.out().contains("(step " + at + " of "
          + last + ")"), r.out());
      assertArrayEquals(expected, model(crashed), name + " resumed at step " + at);
      List<String> resumedMetrics = metrics(crashed);
      assertEquals(expectedMetrics, resumedMetrics, name + " resumed at step " + at);
      assertTrue(r.err().contains("MANIFEST.json is missing"), "the half-written checkpoint "
          + "after " + at + " is passed over: " + r.err());
      if (!mode.equals("dense")) {
        // The first resumed step found every partition's residual: nothing restarted.
        for (String line : resumedMetrics) {
          assertFalse(line.matches(".*\"state_restarts\":[1-9].*"), line);
        }
      }
    }
  }

  @Test
  void aCorruptNewestCheckpointFallsBackToThePreviousOneWithTheSameResult() throws Exception {
    Path whole = dir.resolve("corrupt-whole");
    assertEquals(0, train(config("sign-ef", "constant"), whole).code());
    Path crashed = crashedCopy(whole, 36, "corrupt-crashed");
    Path residual = crashed.resolve("checkpoints/step-00000036/executor/p00001-residual.f32");
    byte[] b = Files.readAllBytes(residual);
    b[b.length - 9] ^= 0x40;
    Files.write(residual, b);
    Outcome r = resume(crashed);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("p00001-residual.f32: checksum mismatch"), r.err());
    assertTrue(r.err().contains("using the checkpoint of step 27"), r.err());
    assertArrayEquals(model(whole), model(crashed));
  }

  /** Rewrites a file of a checkpoint and its manifest entry, as a writer of another version would. */
  static void rewrite(Path checkpoint, String name, byte[] bytes) throws IOException {
    Files.write(checkpoint.resolve(name), bytes);
    Path m = checkpoint.resolve("MANIFEST.json");
    ObjectNode manifest = (ObjectNode) JSON.readTree(m.toFile());
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    for (JsonNode f : manifest.path("files")) {
      if (f.path("name").asText().equals(name)) {
        ((ObjectNode) f).put("bytes", bytes.length).put("crc32c",
            String.format("%08x", crc.getValue()));
      }
    }
    Files.writeString(m, manifest.toPrettyString());
  }

  @Test
  void aStateOrArrayOfAnUnknownFormatVersionFallsBack() throws Exception {
    Path whole = dir.resolve("version-whole");
    assertEquals(0, train(config("onebit-adam", "constant"), whole).code());
    Path crashed = crashedCopy(whole, 36, "version-crashed");
    Path c36 = crashed.resolve("checkpoints/step-00000036");
    ObjectNode state = (ObjectNode) JSON.readTree(c36.resolve("state.json").toFile());
    state.put("format_version", 2);
    rewrite(c36, "state.json", state.toString().getBytes(StandardCharsets.UTF_8));
    Path c27 = crashed.resolve("checkpoints/step-00000027");
    ObjectNode header = JSON.createObjectNode().put("format", "sparkprop-array")
        .put("format_version", 9).put("name", "momentum").put("dtype", "float32");
    rewrite(c27, "exchange/momentum.f32", org.sparkprop.driver.io.FramedFile.encode(
        "SPRPARRY".getBytes(StandardCharsets.US_ASCII), header, "length", new float[3]));
    Outcome r = resume(crashed);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("step-00000036/state.json: format_version 2 is not supported"),
        r.err());
    assertTrue(r.err().contains("step-00000027/exchange/momentum.f32: format_version 9 is not "
        + "supported"), r.err());
    assertTrue(r.err().contains("using the checkpoint of step 2"), r.err()); // 26, epoch 1

    assertArrayEquals(model(whole), model(crashed));
  }

  @Test
  void otherNativeThreadsAreRefused() throws Exception {
    Path whole = dir.resolve("threads");
    assertEquals(0, train(config("dense", "constant"), whole).code());
    Path crashed = crashedCopy(whole, 27, "threads-crashed");
    Outcome r = resume(crashed, "spark.native_threads=2");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("spark.native_threads was 0 in the checkpointed run, now 2"),
        r.err());
  }

  @Test
  void aNewRunRefusesADirectoryHoldingAnotherRunsCheckpoints() throws Exception {
    Path whole = dir.resolve("reuse");
    assertEquals(0, train(config("dense", "constant"), whole).code());
    Path crashed = crashedCopy(whole, 27, "reuse-crashed");
    byte[] metrics = Files.readAllBytes(crashed.resolve("metrics.jsonl"));
    Outcome o = train(config("dense", "constant"), crashed);
    assertEquals(1, o.code());
    assertTrue(o.err().contains("holds an earlier run's checkpoints: continue it with --resume"),
        o.err());
    assertArrayEquals(metrics, Files.readAllBytes(crashed.resolve("metrics.jsonl")));
  }

  @Test
  void changingWhatShapesAStepIsRefusedNamingTheKey() throws Exception {
    Path whole = dir.resolve("refuse");
    assertEquals(0, train(config("dense", "constant"), whole).code());
    Path crashed = crashedCopy(whole, 27, "refuse-crashed");
    Outcome hidden = resume(crashed, "model.hidden=[32]", "train.batch_size=32",
        "optimizer.lr=0.02");
    assertEquals(1, hidden.code());
    assertTrue(hidden.err().contains("model.hidden was [16] in the checkpointed run, now [32]"),
        hidden.err());
    assertTrue(hidden.err().contains("train.batch_size was 64"), hidden.err());
    assertTrue(hidden.err().contains("optimizer.lr was 0.01"), hidden.err());
    assertFalse(hidden.err().contains("\tat "), "no stack trace: " + hidden.err());
    assertFalse(Files.exists(crashed.resolve(RunDirectory.MODEL)));
  }

  @Test
  void otherDataIsRefused() throws Exception {
    Path whole = dir.resolve("data-whole");
    assertEquals(0, train(config("dense", "constant"), whole).code());
    Path crashed = crashedCopy(whole, 27, "data-crashed");
    List<String> lines = new ArrayList<>(Files.readAllLines(data));
    lines.set(5, lines.get(6));
    Path other = Files.write(dir.resolve("other.csv"), lines);
    Outcome r = resume(crashed, "data.train=" + other);
    assertEquals(1, r.code());
    assertTrue(r.err().contains("the training data is not the checkpointed run's"), r.err());
  }

  @Test
  void moreEpochsExtendARunToTheBitsOfTheLongerRun() throws Exception {
    Path longer = dir.resolve("longer");
    assertEquals(0, train(config("sign-ef", "constant"), longer, "train.epochs=3").code());
    Path shorter = dir.resolve("shorter");
    assertEquals(0, train(config("sign-ef", "constant"), shorter).code());
    List<Long> shorterSteps = checkpointSteps(shorter);
    long twoEpochs = shorterSteps.get(shorterSteps.size() - 1);
    Outcome again = resume(shorter);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("already finished"), again.out());
    // The compiler threads' priority may change too: it does not change a bit.
    Outcome r = resume(shorter, "train.epochs=3", "spark.jit_nice=0");
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(model(longer), model(shorter));
    assertTrue(Files.exists(shorter.resolve(String.format("model-step-%08d.sprp", twoEpochs))),
        "the finished run's model is kept: " + twoEpochs);
  }

  @Test
  void moreEpochsUnderACosineScheduleAreRefused() throws Exception {
    Path run = dir.resolve("cosine-extend");
    assertEquals(0, train(config("dense", "cosine"), run).code());
    Outcome r = resume(run, "train.epochs=3");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("cosine schedule decays over the run's length"), r.err());
  }

  @Test
  void aRunDirectoryWithoutCheckpointsSaysSo() throws Exception {
    Path run = dir.resolve("no-checkpoints");
    assertEquals(0, train(config("dense", "constant"), run, "checkpoint.every_steps=0",
        "checkpoint.every_epochs=0").code());
    assertFalse(Files.exists(run.resolve("checkpoints")));
    Outcome r = resume(run);
    assertEquals(1, r.code());
    assertTrue(r.err().contains("has no usable checkpoint (no checkpoints/step-* directory: "
        + "was checkpointing off?)"), r.err());
  }

  @Test
  void aRunNeverOverwritesADirectoryHoldingAModel() throws Exception {
    Path run = dir.resolve("twice");
    assertEquals(0, train(config("dense", "constant"), run).code());
    byte[] model = Files.readAllBytes(run.resolve(RunDirectory.MODEL));
    Outcome again = train(config("dense", "constant"), run, "run.seed=12");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("already holds a finished model"), again.err());
    assertArrayEquals(model, Files.readAllBytes(run.resolve(RunDirectory.MODEL)));
  }

  @Test
  void checkpointsHoldWhatTheLayoutSays() throws Exception {
    Path run = dir.resolve("layout");
    assertEquals(0, train(config("onebit-adam", "constant"), run).code());
    List<Long> steps = checkpointSteps(run);
    long end = steps.get(steps.size() - 1);
    Path last = run.resolve(String.format("checkpoints/step-%08d", end));
    for (String f : List.of("MANIFEST.json", "model.sprp", "config.conf", "state.json",
        "optimizer/exp_avg.f32", "optimizer/exp_avg_sq.f32", "exchange/momentum.f32",
        "exchange/denominator.f32", "executor/p00000-residual.f32",
        "executor/p00001-residual.f32")) {
      assertTrue(Files.isRegularFile(last.resolve(f)), f);
    }
    JsonNode state = JSON.readTree(last.resolve("state.json").toFile());
    assertEquals(end, state.path("step").asLong());
    assertEquals(end - 1, state.path("executor_state").path("step").asLong());
    assertEquals(2, state.path("data").path("partitions").asInt());
    assertEquals(1600, state.path("data").path("rows").asLong(), 100);
  }
}
