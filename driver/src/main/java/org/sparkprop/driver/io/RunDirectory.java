package org.sparkprop.driver.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.core.model.ModelSpec;

/**
 * A run's output directory on any Hadoop file system: {@code config.conf} (the resolved
 * configuration), {@code metrics.jsonl}, {@code model.sprp} (final parameters) and
 * {@code summary.json}.
 */
public final class RunDirectory {
  public static final String CONFIG = "config.conf";
  public static final String METRICS = "metrics.jsonl";
  public static final String MODEL = "model.sprp";
  public static final String SUMMARY = "summary.json";

  private final Path dir;
  private final Configuration conf;
  private final FileSystem fs;

  private RunDirectory(Path dir, Configuration conf) throws IOException {
    this.dir = dir;
    this.conf = conf;
    this.fs = FileSystem.get(dir.toUri(), conf);
  }

  /** The directory for a run: {@code explicit} if given, else {@code root/name-timestamp}. */
  public static Path choose(String explicit, String root, String name) {
    if (explicit != null && !explicit.isBlank()) {
      return new Path(explicit);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return new Path(root, name + "-" + stamp);
  }

  /**
   * Creates the directory and writes the resolved config.
   *
   * @throws IOException if it already holds a finished model (a run never overwrites one)
   */
  public static RunDirectory create(Path dir, Configuration conf, String resolvedConfig)
      throws IOException {
    RunDirectory run = new RunDirectory(dir, conf);
    if (run.fs.exists(new Path(dir, MODEL))) {
      throw new IOException(dir + " already holds a finished model (" + MODEL
          + "): choose another --run-dir or move it away; sparkprop never overwrites a model");
    }
    run.fs.mkdirs(dir);
    AtomicFiles.write(new Path(dir, CONFIG), conf, resolvedConfig.getBytes(StandardCharsets.UTF_8));
    return run;
  }

  public Path path() {
    return dir;
  }

  /** Opens {@code metrics.jsonl} (replacing one from an earlier attempt). */
  public MetricsSink openMetrics() throws IOException {
    return new JsonLinesSink(fs.create(new Path(dir, METRICS), true));
  }

  /** Writes the final model atomically. */
  public void saveModel(ModelSpec spec, float[] params, long step, long seed, String configHash)
      throws IOException {
    ModelFile.write(new Path(dir, MODEL), conf, spec, params, step, seed, configHash);
  }

  /** Writes {@code summary.json}. */
  public void writeSummary(Map<String, Object> summary) throws IOException {
    byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsBytes(summary);
    AtomicFiles.write(new Path(dir, SUMMARY), conf, json);
  }
}
