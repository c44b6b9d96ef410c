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
  /** The checkpoints' directory (see org.sparkprop.driver.checkpoint.CheckpointLayout). */
  public static final String CHECKPOINTS = "checkpoints";

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
   * @throws IOException if it already holds a finished model or an earlier run's checkpoints (a
   *     new run never overwrites either)
   */
  public static RunDirectory create(Path dir, Configuration conf, String resolvedConfig)
      throws IOException {
    RunDirectory run = new RunDirectory(dir, conf);
    if (run.fs.exists(new Path(dir, MODEL))) {
      throw new IOException(dir + " already holds a finished model (" + MODEL
          + "): choose another --run-dir or move it away; sparkprop never overwrites a model");
    }
    if (run.fs.exists(new Path(dir, CHECKPOINTS))) {
      throw new IOException(dir + " holds an earlier run's checkpoints: continue it with "
          + "--resume " + dir + ", or choose another --run-dir");
    }
    run.fs.mkdirs(dir);
    AtomicFiles.write(new Path(dir, CONFIG), conf, resolvedConfig.getBytes(StandardCharsets.UTF_8));
    return run;
  }

  /**
   * An existing run directory, to resume the run in it.
   *
   * @throws IOException if it does not exist or holds no {@value #CONFIG}
   */
  public static RunDirectory existing(Path dir, Configuration conf) throws IOException {
    RunDirectory run = new RunDirectory(dir, conf);
    if (!run.fs.exists(new Path(dir, CONFIG))) {
      throw new IOException(dir + " is not a run directory (it has no " + CONFIG + ")");
    }
    return run;
  }

  public Path path() {
    return dir;
  }

  /** The step of the run's final model, or -1 when the run has not written one. */
  public long modelStep() throws IOException {
    Path model = new Path(dir, MODEL);
    return fs.exists(model) ? ModelFile.read(model, conf).step() : -1;
  }

  /** Opens {@code metrics.jsonl} (replacing one from an earlier attempt). */
  public MetricsSink openMetrics() throws IOException {
    return openMetrics(-1);
  }

  /**
   * Opens {@code metrics.jsonl} to continue a resumed run: the records of steps up to {@code
   * keepThroughStep} stay (a record cut short by a crash, and every record of a later step, are
   * dropped, so the file continues without a duplicated or missing step). -1 starts it empty.
   */
  public MetricsSink openMetrics(long keepThroughStep) throws IOException {
    Path metrics = new Path(dir, METRICS);
    byte[] kept = keepThroughStep < 0 || !fs.exists(metrics) ? new byte[0]
        : MetricsLines.keepThrough(Storage.read(metrics, conf, Integer.MAX_VALUE - 64),
            keepThroughStep);
    if (Storage.isLocal(metrics)) {
      java.nio.file.Path local = java.nio.file.Path.of(metrics.toUri().getPath());
      AtomicFiles.write(metrics, conf, kept);
      return new JsonLinesSink(java.nio.file.Files.newOutputStream(local,
          java.nio.file.StandardOpenOption.APPEND));
    }
    // Replace the file in one step, then append; where a store cannot append (S3A), rewrite
    // it: such stores make an object visible only when it is closed, so nothing is lost.
    AtomicFiles.write(metrics, conf, kept);
    try {
      return new JsonLinesSink(fs.append(metrics));
    } catch (UnsupportedOperationException | IOException e) {
      org.apache.hadoop.fs.FSDataOutputStream out = fs.create(metrics, true);
      out.write(kept);
      out.hflush();
      return new JsonLinesSink(out);
    }
  }

  /**
   * Keeps the finished run's model as {@code model-step-N.sprp} before an extended run replaces
   * it.
   */
  public Path keepModelAside(long step) throws IOException {
    Path aside = new Path(dir, String.format(java.util.Locale.ROOT, "model-step-%08d.sprp", step));
    AtomicFiles.write(aside, conf, Storage.read(new Path(dir, MODEL), conf, Integer.MAX_VALUE - 64));
    return aside;
  }

  /** Writes the final model atomically; {@code labels}: a classifier's labels, or null. */
  public void saveModel(ModelSpec spec, float[] params, long step, long seed, String configHash,
      org.sparkprop.driver.data.LabelMap labels) throws IOException {
    ModelFile.write(new Path(dir, MODEL), conf, spec, params, step, seed, configHash, labels);
  }

  /** Writes {@code summary.json}. */
  public void writeSummary(Map<String, Object> summary) throws IOException {
    byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsBytes(summary);
    AtomicFiles.write(new Path(dir, SUMMARY), conf, json);
  }
}
