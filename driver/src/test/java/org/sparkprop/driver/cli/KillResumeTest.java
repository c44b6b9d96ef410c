package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkprop.driver.DriverProcess;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.io.RunDirectory;

/**
 * The promise of resume, with a real crash: a driver JVM killed with SIGKILL at a random step
 * (mid-step, mid-checkpoint, wherever it is) and then resumed with {@code train --resume} ends
 * with a model file whose SHA-256 is the uninterrupted run's, and with the same metrics. Each
 * run is its own JVM, started the way {@code bin/sparkprop} starts one.
 */
class KillResumeTest {
  @TempDir static Path dir;
  static Path data;

  @BeforeAll
  static void generate() {
    data = TestFiles.generate(dir.resolve("teacher.csv"), "--kind", "teacher-mlp", "--format",
        "csv", "--rows", "3000", "--features", "16", "--classes", "3", "--hidden", "8",
        "--seed", "5");
  }

  private static Path config(String mode) throws IOException {
    String optimizer = mode.equals("onebit-adam") || mode.equals("dense")
        ? "optimizer { name = adam, lr = 0.01 }" : "optimizer { name = adam, lr = 0.005 }";
    return Files.writeString(dir.resolve(mode + ".conf"), "data { format = csv, train = \""
        + data + "\", test_fraction = 0.2, partitions = 2, block_rows = 256 }\n"
        + "model { type = mlp, hidden = [32], activation = relu, outputs = 3 }\n"
        + "train { epochs = 3, batch_size = 32, log_every = 1 }\n" + optimizer + "\n"
        + "exchange = " + mode + "\nsign.freeze_step = 20\n"
        + "checkpoint { every_steps = 5, keep_last = 2 }\nrun.seed = 3\n");
  }

  private static Process start(Path log, String... args) throws IOException {
    return DriverProcess.start(log, args);
  }

  private static void finish(Process p, Path log) throws Exception {
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the run did not finish");
    assertEquals(0, p.exitValue(), () -> read(log));
  }

  private static String read(Path log) {
    return DriverProcess.read(log);
  }

  /** The last step of metrics.jsonl's complete train records, 0 when there is none. */
  private static long lastLoggedStep(Path runDir) throws IOException {
    Path m = runDir.resolve(RunDirectory.METRICS);
    if (!Files.exists(m)) {
      return 0;
    }
    long last = 0;
    String text = Files.readString(m);
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      int i = line.indexOf("\"step\":");
      if (line.startsWith("{\"type\":\"train\"") && i > 0) {
        last = Long.parseLong(line.substring(i + 7, line.indexOf(',', i)));
      }
    }
    return last;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(file)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense", "sign-ef", "onebit-adam"})
  void aKilledDriverResumesToTheSameModel(String mode) throws Exception {
    Path conf = config(mode);
    Path whole = dir.resolve(mode + "-whole");
    finish(start(dir.resolve(mode + "-whole.log"), "train", "--config", conf.toString(),
        "--run-dir", whole.toString()), dir.resolve(mode + "-whole.log"));
    long steps = lastLoggedStep(whole);
    assertTrue(steps > 200, "3 epochs of about 2,400 rows at 32 a step: " + steps);

    long seed = System.nanoTime();
    long killAt = 8 + new Random(seed).nextInt((int) steps - 30);
    Path killed = dir.resolve(mode + "-killed");
    Path killedLog = dir.resolve(mode + "-killed.log");
    Process p = start(killedLog, "train", "--config", conf.toString(), "--run-dir",
        killed.toString());
    while (p.isAlive() && lastLoggedStep(killed) < killAt) {
      Thread.sleep(5);
    }
    assertTrue(p.isAlive(), "the run ended before step " + killAt + ": " + read(killedLog));
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    long reached = lastLoggedStep(killed);
    assertTrue(reached < steps && !Files.exists(killed.resolve(RunDirectory.MODEL)),
        "killed too late, at step " + reached);

    Path resumedLog = dir.resolve(mode + "-resumed.log");
    finish(start(resumedLog, "train", "--resume", killed.toString()), resumedLog);
    String context = mode + ", killed after logging step " + reached + " (aimed at " + killAt
        + ", seed " + seed + ")\n" + read(resumedLog);
    System.out.println(context.substring(0, context.indexOf('\n')));
    assertEquals(sha256(whole.resolve(RunDirectory.MODEL)),
        sha256(killed.resolve(RunDirectory.MODEL)), context);
    assertEquals(TestFiles.metricsWithoutTimings(whole),
        TestFiles.metricsWithoutTimings(killed), context);
    assertTrue(read(resumedLog).contains("resuming from"), context);
  }
}
