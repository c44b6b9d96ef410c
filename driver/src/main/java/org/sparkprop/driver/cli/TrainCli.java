package org.sparkprop.driver.cli;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sparkprop train}: the command line; {@link TrainCommand} does the work. */
@Command(name = "train", header = "Train a model from a HOCON config (or resume a run, or warm-start one)",
    sortOptions = false, usageHelpAutoWidth = true, usageHelpWidth = 100,
    mixinStandardHelpOptions = true, versionProvider = org.sparkprop.driver.Version.class,
    description = {
      "Trains the model a HOCON config describes on Spark and writes the run directory:",
      "config.conf (the resolved config), metrics.jsonl, checkpoints/, model.sprp (the final",
      "parameters) and summary.json.",
      "",
      "  sparkprop train --config FILE [--set KEY=VALUE]... [--run-dir DIR]",
      "  sparkprop train --config FILE --init-from MODEL_OR_RUN_DIR   (warm start)",
      "  sparkprop train --resume RUN_DIR [--set KEY=VALUE]...        (after a crash)",
      ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:trained; the model and summary are written",
      "1:bad input data or config, a refused resume or warm start, an I/O error",
      "2:bad usage",
      "3:training diverged (NaN/Inf loss or gradient; no model written)",
      "4:fatal JVM error, e.g. the driver ran out of memory"})
public final class TrainCli implements Callable<Integer> {
  @Spec CommandSpec spec;
  private final PrintStream out;
  private final PrintStream err;

  /** The command, printing progress to {@code out} and problems to {@code err}. */
  public TrainCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Option(names = "--config", paramLabel = "FILE",
      description = "training config (see conf/examples/; every key: conf/reference.conf)")
  File config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override one key, e.g. --set train.epochs=2 --set model.hidden=[512] "
        + "(repeatable; applied after the file)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "output directory (any Hadoop path); default "
        + "<run.dir_root>/<run.name>-<yyyyMMdd-HHmmss>")
  String runDir;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master as in spark-submit (default: spark-submit's, else local[*])")
  String master;

  @Option(names = "--resume", paramLabel = "RUN_DIR",
      description = "continue the run in RUN_DIR from its newest complete checkpoint, bit for "
        + "bit as if it had not stopped, with its own config; --config and --set may change "
        + "train.epochs, train.log_every, train.eval_every_epochs, checkpoint.*, "
        + "spark.app_name, spark.jit_nice and data paths, nothing that shapes a step")
  String resume;

  @Option(names = "--init-from", paramLabel = "PATH",
      description = "start a new run from a previous model's parameters: a model file, a "
        + "run directory or a checkpoint directory (warm start; the architecture must match)")
  String initFrom;

  @Option(names = "--init-optimizer-state",
      description = "with --init-from a run or checkpoint directory: continue its optimizer's "
        + "state too (moments, step count) instead of a fresh one")
  boolean initOptimizerState;

  /** How the run shows its progress. */
  enum Progress { auto, bar, lines }

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "bar: a live progress bar; lines: a line per log window (train.log_every); "
        + "auto (default): the bar when the console is a terminal, else lines")
  Progress progress;

  /** Whether this run shows the bar: asked for, or auto on a terminal. */
  boolean progressBar() {
    return progress == Progress.bar || (progress == Progress.auto && System.console() != null);
  }

  @Override
  public Integer call() {
    if (resume != null && (runDir != null || initFrom != null || initOptimizerState)) {
      throw usage("--resume continues the run in its own directory from its own checkpoint: "
          + "it takes no --run-dir, --init-from or --init-optimizer-state");
    }
    if (resume == null && config == null) {
      throw usage("--config FILE is required (or --resume RUN_DIR)");
    }
    if (initOptimizerState && initFrom == null) {
      throw usage("--init-optimizer-state needs --init-from");
    }
    return TrainCommand.run(this, out, err);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
