package org.sparkprop.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.checkpoint.CheckpointWriter;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.ConfigProblems;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.io.MetricsSink;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.optim.NonFiniteGradientException;
import org.sparkprop.driver.spark.SparkSetup;
import org.sparkprop.driver.train.Checkpointer;
import org.sparkprop.driver.train.Trainer;

/**
 * {@code sparkprop train}: runs one training configuration end to end, from scratch, from a
 * previous model ({@code --init-from}) or from a run's checkpoint ({@code --resume}).
 */
public final class TrainCommand {
  private TrainCommand() {}

  /** Runs {@code sparkprop train ARGS}; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String[] all = new String[args.length + 1];
    all[0] = "train";
    System.arraycopy(args, 0, all, 1, args.length);
    return org.sparkprop.driver.Main.run(all, out, err);
  }

  /** Runs the parsed command line; returns the process exit code. */
  static int run(TrainCli options, PrintStream out, PrintStream err) {
    if (options.resume != null) {
      try (JavaSparkContext jsc = spark(options.master, "sparkprop")) {
        jsc.setLogLevel("WARN");
        try {
          return Resume.run(jsc, options.resume, options.config, options.sets,
              options.progressBar(), out, err);
        } catch (RuntimeException e) {
          throw stopped(jsc, e);
        }
      } catch (UserError e) {
        err.println("sparkprop train: " + e.getMessage());
        return e.exitCode();
      }
    }
    TrainingConfig config;
    try {
      config = TrainingConfig.from(ConfigLoader.userLayer(options.config, options.sets));
    } catch (ConfigProblems e) {
      err.println("sparkprop train: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    try (JavaSparkContext jsc = spark(options.master, config.spark().appName())) {
      jsc.setLogLevel("WARN");
      try {
        return train(jsc, config, options.runDir, options.initFrom,
            options.initOptimizerState, options.progressBar(), out, err);
      } catch (RuntimeException e) {
        throw stopped(jsc, e);
      }
    } catch (UserError e) {
      err.println("sparkprop train: " + e.getMessage());
      return e.exitCode();
    }
  }

  /**
   * A failure after Spark itself stopped (the master gave the application up, e.g. a cluster
   * with spark.authenticate and no or another secret, or the application was killed) is one
   * line; any other failure is a bug and keeps its stack trace.
   */
  static RuntimeException stopped(JavaSparkContext jsc, RuntimeException e) throws UserError {
    if (jsc.sc().isStopped()) {
      throw new UserError(ExitCodes.FAILED, "Spark stopped (" + e.getMessage().lines()
          .findFirst().orElse("") + "): the application lost its master or executors, or "
          + "could not register with the master (on a cluster with spark.authenticate: a "
          + "missing or wrong spark.authenticate.secret); see the lines above");
    }
    return e;
  }

  /**
   * Starts Spark; a master that cannot be reached or refuses the application (e.g. a cluster
   * with spark.authenticate and no or another secret) is one line, exit 1.
   */
  static JavaSparkContext spark(String master, String appName) throws UserError {
    try {
      return SparkSetup.start(master, appName);
    } catch (Exception e) { // SparkException is checked, thrown undeclared
      String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst()
          .orElse("");
      throw new UserError(1, "cannot start Spark"
          + (master == null ? "" : " on " + master) + ": " + m);
    }
  }

  /** Trains a new run with an existing context (also used by tests and the benchmark). */
  public static int train(JavaSparkContext jsc, TrainingConfig config, String runDir,
      PrintStream out, PrintStream err) {
    return train(jsc, config, runDir, null, false, out, err);
  }

  /**
   * Trains a new run, from {@code initFrom}'s parameters when it is not null (with its
   * optimizer's state when {@code initOptimizer}).
   */
  public static int train(JavaSparkContext jsc, TrainingConfig config, String runDir,
      String initFrom, boolean initOptimizer, PrintStream out, PrintStream err) {
    return train(jsc, config, runDir, initFrom, initOptimizer, false, out, err);
  }

  /** As above, with a live progress bar on {@code out} when {@code bar}. */
  static int train(JavaSparkContext jsc, TrainingConfig config, String runDir,
      String initFrom, boolean initOptimizer, boolean bar, PrintStream out, PrintStream err) {
    long started = System.nanoTime();
    TrainingData td;
    try {
      td = TrainingData.load(jsc, config);
    } catch (UserError e) {
      err.println("sparkprop train: " + e.getMessage());
      return e.exitCode();
    }
    try {
      Trainer trainer = trainer(jsc, td, out).showProgressBar(bar);
      Configuration conf = jsc.hadoopConfiguration();
      Trainer.Start start;
      if (initFrom == null) {
        float[] params = new float[td.spec().numParams()];
        new Network(td.spec()).init(params, td.config().run().seed());
        start = Trainer.Start.fresh(params);
      } else {
        path(initFrom, "--init-from");
        try {
          start = WarmStart.load(initFrom, initOptimizer, td.spec(), conf,
              w -> err.println("sparkprop train: warning: " + w));
          trainer.check(start);
        } catch (IOException | IllegalArgumentException e) {
          throw new UserError(1, "--init-from " + e.getMessage());
        }
      }
      if (runDir != null) {
        path(runDir, "--run-dir");
      }
      RunDirectory dir;
      try {
        dir = RunDirectory.create(RunDirectory.choose(runDir, td.config().run().dirRoot(),
            td.config().run().name()), conf, td.config().render());
      } catch (IOException e) {
        throw new UserError(1, e.getMessage());
      }
      String from = initFrom == null ? "" : " | from " + initFrom
          + (initOptimizer ? " (with its optimizer state)" : "");
      out.println(header(td, dir) + from);
      return finish(jsc, td, trainer, dir, start, -1, started, out);
    } catch (UserError e) {
      err.println("sparkprop train: " + e.getMessage());
      return e.exitCode();
    } finally {
      td.data().unpersist();
    }
  }

  /**
   * {@code arg} as a Hadoop path.
   *
   * @throws UserError (exit 2) naming the option when it is not a valid path or URI
   */
  static org.apache.hadoop.fs.Path path(String arg, String option) throws UserError {
    try {
      return new org.apache.hadoop.fs.Path(arg);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, option + " " + arg + ": not a valid path (" + e.getMessage() + ")");
    }
  }

  /** The trainer of a run; a schedule that does not fit the run is a config error. */
  static Trainer trainer(JavaSparkContext jsc, TrainingData td, PrintStream out)
      throws UserError {
    try {
      return new Trainer(jsc, td.config(), td.data(), td.spec(), out);
    } catch (ConfigProblems e) {
      throw new UserError(ExitCodes.FAILED, e.getMessage());
    }
  }

  /** The first line a run prints. */
  static String header(TrainingData td, RunDirectory dir) {
    ModelSpec spec = td.spec();
    Dataset data = td.data();
    return String.format(Locale.ROOT,
        "sparkprop: %s, %,d parameters | %,d training rows (%s), %,d test rows, %d partitions"
            + " | %s | run dir %s",
        spec.describe(), spec.numParams(), data.trainRows(), data.sparse() ? "sparse" : "dense",
        data.testRows(), data.numPartitions(), td.config().optimizer().name(), dir.path());
  }

  /**
   * The run's charts and report.html; a run whose plots fail (no fonts, a full disk) still ends
   * well: its model and metrics are written, and {@code sparkprop report} can try again.
   */
  private static void plots(RunDirectory dir, org.apache.hadoop.conf.Configuration conf,
      PrintStream out) {
    try {
      org.sparkprop.driver.report.Report.write(List.of(new org.sparkprop.driver.report.Report
          .Run(dir.path().getName(), dir.path())), dir.path(), conf);
    } catch (IOException | RuntimeException | LinkageError e) {
      out.println("sparkprop train: warning: no plots (" + e + "); the run is complete, try "
          + "sparkprop report " + dir.path());
    }
  }

  /**
   * Trains from {@code start} to the end, then writes the model and the summary.
   *
   * @param keepMetricsThrough the step through which metrics.jsonl is kept (a resumed run's
   *     checkpoint), -1 to start it empty
   */
  static int finish(JavaSparkContext jsc, TrainingData td, Trainer trainer, RunDirectory dir,
      Trainer.Start start, long keepMetricsThrough, long started, PrintStream out)
      throws UserError {
    TrainingConfig config = td.config();
    Checkpointer checkpoints = !config.checkpoint().enabled() ? null : new Checkpointer(
        new CheckpointWriter(dir.path(), jsc.hadoopConfiguration(),
            config.checkpoint().keepLast()), config, td.spec(), td.data().fingerprint(),
        td.data().labels());
    try {
      trainer.check(start);
    } catch (IllegalArgumentException e) {
      throw new UserError(1, "cannot start from " + (keepMetricsThrough < 0 ? "--init-from" : "the "
          + "checkpoint") + ": " + e.getMessage());
    }
    Trainer.Result result;
    try {
      try (MetricsSink metrics = dir.openMetrics(keepMetricsThrough)) {
        result = trainer.run(start, metrics, checkpoints);
      }
      dir.saveModel(td.spec(), result.params(), result.steps(), config.run().seed(),
          config.hash(), td.data().labels());
      Map<String, Object> summary = RunSummary.of(config, td.spec(), td.data(), trainer, result,
          (System.nanoTime() - started) / 1e9);
      dir.writeSummary(summary);
      out.println(RunSummary.line(summary, dir.path()));
      plots(dir, jsc.hadoopConfiguration(), out);
      return 0;
    } catch (NonFiniteGradientException e) {
      throw new UserError(ExitCodes.DIVERGED, e.getMessage() + " (no model was written"
          + (checkpoints == null ? ")" : "; the checkpoints before it remain)"));
    } catch (IOException e) {
      throw new UserError(1, e.getMessage());
    } catch (java.io.UncheckedIOException e) {
      throw new UserError(1, "cannot restore the executor state: " + e.getCause().getMessage());
    }
  }
}
