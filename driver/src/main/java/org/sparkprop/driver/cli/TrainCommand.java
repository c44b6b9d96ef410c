package org.sparkprop.driver.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.ConfigProblems;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.dataset.DatasetLoader;
import org.sparkprop.driver.io.MetricsSink;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.spark.SparkSetup;
import org.sparkprop.driver.optim.NonFiniteGradientException;
import org.sparkprop.driver.train.Trainer;

/** {@code sparkprop train}: runs one training configuration end to end. */
public final class TrainCommand {
  static final String HELP = String.join(System.lineSeparator(),
      "usage: sparkprop train --config FILE [--set KEY=VALUE]... [--run-dir DIR] [--master URL]",
      "",
      "Trains the model a HOCON config describes on Spark and writes the run directory:",
      "config.conf (resolved config), metrics.jsonl, model.sprp (final parameters), summary.json.",
      "",
      "  --config FILE      training config (see conf/examples/; every key: conf/reference.conf)",
      "  --set KEY=VALUE    override one key, e.g. --set train.epochs=2 --set model.hidden=[512]",
      "                     (repeatable; applied after the file)",
      "  --run-dir DIR      output directory (any Hadoop path); default",
      "                     <run.dir_root>/<run.name>-<yyyyMMdd-HHmmss>",
      "  --master URL       Spark master as in spark-submit (default: spark-submit's, else local[*])",
      "  -h, --help         this text",
      "",
      "Exit status: 0 trained and saved; 1 failed (bad data, diverged, I/O); 2 bad usage/config.");

  /** Parsed command line. */
  record Options(File config, List<String> sets, String runDir, String master) {}

  private TrainCommand() {}

  /** Parses arguments; returns null after printing help or a usage error (see exit code). */
  static Options parse(String[] args, PrintStream err, int[] exit) {
    File config = null;
    List<String> sets = new ArrayList<>();
    String runDir = null;
    String master = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        err.println(HELP);
        exit[0] = 0;
        return null;
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null && a.startsWith("--")) {
        err.println("sparkprop train: " + a + " needs a value\n\n" + HELP);
        exit[0] = 2;
        return null;
      }
      switch (a) {
        case "--config":
          config = new File(value);
          break;
        case "--set":
          sets.add(value);
          break;
        case "--run-dir":
          runDir = value;
          break;
        case "--master":
          master = value;
          break;
        default:
          err.println("sparkprop train: unknown option '" + a + "'\n\n" + HELP);
          exit[0] = 2;
          return null;
      }
      i++;
    }
    if (config == null) {
      err.println("sparkprop train: --config FILE is required\n\n" + HELP);
      exit[0] = 2;
      return null;
    }
    return new Options(config, sets, runDir, master);
  }

  /** Runs the command; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    int[] exit = {2};
    Options options = parse(args, err, exit);
    if (options == null) {
      return exit[0];
    }
    TrainingConfig config;
    try {
      config = TrainingConfig.from(ConfigLoader.userLayer(options.config(), options.sets()));
    } catch (ConfigProblems e) {
      err.println("sparkprop train: " + e.getMessage());
      return 2;
    }
    try (JavaSparkContext jsc = SparkSetup.start(options.master(), config.spark().appName())) {
      jsc.setLogLevel("WARN");
      return train(jsc, config, options.runDir(), out, err);
    }
  }

  /** Trains with an existing context (also used by tests and the benchmark). */
  public static int train(JavaSparkContext jsc, TrainingConfig config, String runDir,
      PrintStream out, PrintStream err) {
    long started = System.nanoTime();
    Dataset data;
    ModelSpec spec;
    try {
      ModelSpec labelRule = config.model().spec(Math.max(1, config.model().inputDim()));
      TrainingConfig.Data dataSettings = config.data();
      if ("libsvm".equals(dataSettings.format()) && dataSettings.numFeatures() == 0
          && config.model().inputDim() > 0) {
        // The model fixes the dimension: indices beyond it are errors, fewer are fine.
        dataSettings = dataSettings.withNumFeatures(config.model().inputDim());
      }
      data = new DatasetLoader(jsc, dataSettings, labelRule, config.run().seed()).load();
      if (config.model().inputDim() > 0 && config.model().inputDim() != data.numFeatures()) {
        err.println("sparkprop train: model.input_dim = " + config.model().inputDim()
            + " but " + config.data().train() + " has " + data.numFeatures()
            + " features: fix model.input_dim (or set it to 0 to take the data's)");
        return 1;
      }
      spec = config.model().spec(data.numFeatures());
    } catch (DataFileException e) {
      err.println("sparkprop train: bad input: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      err.println("sparkprop train: " + e.getMessage());
      return 1;
    }
    // The partition count may have come from the cluster (data.partitions = 0): record it, so
    // the saved config reruns bit for bit elsewhere.
    config = config.withPartitions(data.numPartitions());
    Trainer trainer;
    try {
      trainer = new Trainer(jsc, config, data, spec, out);
    } catch (ConfigProblems e) {
      err.println("sparkprop train: " + e.getMessage());
      data.unpersist();
      return 2;
    }
    try {
      RunDirectory dir = RunDirectory.create(
          RunDirectory.choose(runDir, config.run().dirRoot(), config.run().name()),
          jsc.hadoopConfiguration(), config.render());
      out.println(String.format(Locale.ROOT,
          "sparkprop: %s, %,d parameters | %,d training rows (%s), %,d test rows, %d partitions"
              + " | %s | run dir %s",
          spec.describe(), spec.numParams(), data.trainRows(), data.sparse() ? "sparse" : "dense",
          data.testRows(), data.numPartitions(), config.optimizer().name(), dir.path()));
      float[] params = new float[spec.numParams()];
      new Network(spec).init(params, config.run().seed());
      Trainer.Result result;
      try (MetricsSink metrics = dir.openMetrics()) {
        result = trainer.run(params, metrics);
      }
      dir.saveModel(spec, result.params(), result.steps(), config.run().seed(), config.hash());
      Map<String, Object> summary = summary(config, spec, data, trainer, result,
          (System.nanoTime() - started) / 1e9);
      dir.writeSummary(summary);
      out.println(summaryLine(summary, dir.path()));
      return 0;
    } catch (NonFiniteGradientException e) {
      err.println("sparkprop train: " + e.getMessage() + " (no model was written)");
      return 1;
    } catch (IOException e) {
      err.println("sparkprop train: " + e.getMessage());
      return 1;
    } finally {
      data.unpersist();
    }
  }

  private static Map<String, Object> summary(TrainingConfig config, ModelSpec spec, Dataset data,
      Trainer trainer, Trainer.Result r, double wallSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", spec.describe());
    m.put("num_params", spec.numParams());
    m.put("optimizer", config.optimizer().name());
    m.put("train_rows", data.trainRows());
    m.put("test_rows", data.testRows());
    m.put("partitions", data.numPartitions());
    m.put("global_batch", trainer.globalBatch());
    m.put("steps", r.steps());
    m.put("epochs", config.train().epochs());
    m.put("train_seconds", r.trainSeconds());
    m.put("wall_seconds", wallSeconds);
    m.put("samples_per_s", r.samplesPerSecond());
    m.put("last_train_loss", r.lastLoss());
    Trainer.EvalPoint last = r.finalEvaluation();
    if (last != null) {
      m.put("test_loss", last.stats().meanLoss());
      if (spec.isClassification()) {
        m.put("test_accuracy", last.stats().accuracy());
      } else {
        m.put("test_rmse", last.stats().rmse());
      }
    }
    Trainer.StepTimes t = r.times();
    double perStep = 1e6 * r.steps();
    m.put("ms_per_step", t.total() / perStep);
    m.put("ms_broadcast_per_step", t.broadcast() / perStep);
    m.put("ms_job_per_step", t.job() / perStep);
    m.put("ms_slowest_compute_per_step", t.slowestCompute() / perStep);
    m.put("ms_reduce_per_step", t.reduce() / perStep);
    m.put("ms_optimizer_per_step", t.optimizer() / perStep);
    m.put("bytes_up_per_step", r.bytesUp() / Math.max(1, r.steps()));
    m.put("bytes_down_per_step", r.bytesDown() / Math.max(1, r.steps()));
    m.put("cached_bytes", data.cachedBytes());
    m.put("config_hash", config.hash());
    return m;
  }

  private static String summaryLine(Map<String, Object> s, Path dir) {
    StringBuilder b = new StringBuilder("done: ");
    b.append(s.get("steps")).append(" steps in ")
        .append(String.format(Locale.ROOT, "%.1f s (%.1f s wall), %,.0f samples/s",
            (Double) s.get("train_seconds"), (Double) s.get("wall_seconds"),
            (Double) s.get("samples_per_s")));
    if (s.containsKey("test_accuracy")) {
      b.append(String.format(Locale.ROOT, ", test accuracy %.2f%%",
          100 * (Double) s.get("test_accuracy")));
    } else if (s.containsKey("test_rmse")) {
      b.append(String.format(Locale.ROOT, ", test RMSE %.4f", (Double) s.get("test_rmse")));
    }
    b.append(String.format(Locale.ROOT, "; per step %.2f ms (broadcast %.2f, job %.2f of which "
            + "slowest compute %.2f and reduce %.2f, optimizer %.2f); model %s",
        (Double) s.get("ms_per_step"), (Double) s.get("ms_broadcast_per_step"),
        (Double) s.get("ms_job_per_step"), (Double) s.get("ms_slowest_compute_per_step"),
        (Double) s.get("ms_reduce_per_step"), (Double) s.get("ms_optimizer_per_step"),
        new Path(dir, RunDirectory.MODEL)));
    return b.toString();
  }
}
