package org.sparkprop.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.generate.GenerateCommand;

/** Small data files and configs for driver tests. */
public final class TestFiles {
  private TestFiles() {}

  /** Writes {@code text} to {@code dir/name} and returns the path. */
  public static Path write(Path dir, String name, String text) {
    try {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text, StandardCharsets.UTF_8);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code sparkprop generate} with the given arguments; fails the test on a non-zero exit. */
  public static Path generate(Path out, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--out");
    all.add(out.toString());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = GenerateCommand.run(all.toArray(new String[0]),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    if (code != 0) {
      throw new AssertionError("generate failed: " + err.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * A run directory's metrics.jsonl, each record without what depends on time and on Spark's
   * listener timing (samples_per_s, train_s, bytes_up, bytes_down, the *_ms step times): what
   * two runs of the same steps share.
   */
  public static List<String> metricsWithoutTimings(Path runDir) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
      com.fasterxml.jackson.databind.node.ObjectNode n =
          (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
      n.remove(List.of("samples_per_s", "train_s", "bytes_up", "bytes_down", "step_ms",
          "broadcast_ms", "job_ms", "compute_ms", "optimizer_ms"));
      out.add(n.toString());
    }
    return out;
  }

  /** A validated config from HOCON text (keys not given take reference defaults). */
  public static TrainingConfig config(String hocon, String... overrides) {
    try {
      Path f = Files.createTempFile("sparkprop-test", ".conf");
      try {
        Files.writeString(f, hocon, StandardCharsets.UTF_8);
        return TrainingConfig.from(ConfigLoader.userLayer(f.toFile(), Arrays.asList(overrides)));
      } finally {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
