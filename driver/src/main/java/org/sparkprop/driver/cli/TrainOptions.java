package org.sparkprop.driver.cli;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code sparkprop train}. */
record TrainOptions(File config, List<String> sets, String runDir, String master,
    String resume, String initFrom, boolean initOptimizerState) {

  static final String HELP = String.join(System.lineSeparator(),
      "usage: sparkprop train --config FILE [--set KEY=VALUE]... [--run-dir DIR] [--master URL]",
      "                       [--init-from PATH [--init-optimizer-state]]",
      "       sparkprop train --resume RUN_DIR [--config FILE] [--set KEY=VALUE]... [--master URL]",
      "",
      "Trains the model a HOCON config describes on Spark and writes the run directory:",
      "config.conf (resolved config), metrics.jsonl, checkpoints/, model.sprp (final parameters),",
      "summary.json.",
      "",
      "  --config FILE      training config (see conf/examples/; every key: conf/reference.conf)",
      "  --set KEY=VALUE    override one key, e.g. --set train.epochs=2 --set model.hidden=[512]",
      "                     (repeatable; applied after the file)",
      "  --run-dir DIR      output directory (any Hadoop path); default",
      "                     <run.dir_root>/<run.name>-<yyyyMMdd-HHmmss>",
      "  --master URL       Spark master as in spark-submit (default: spark-submit's, else local[*])",
      "  --resume RUN_DIR   continue the run in RUN_DIR from its newest complete checkpoint, bit for",
      "                     bit as if it had not stopped; its config.conf is the config (--config",
      "                     and --set may change train.epochs, train.log_every, train.eval_every_",
      "                     epochs, checkpoint.*, spark.*, data paths; nothing that shapes a step)",
      "  --init-from PATH   start a new run from a previous model's parameters: a model file, a",
      "                     run directory or a checkpoint directory (warm start; the architecture",
      "                     must match)",
      "  --init-optimizer-state",
      "                     with --init-from a run or checkpoint directory: continue its",
      "                     optimizer's state too (moments, step count) instead of a fresh one",
      "  -h, --help         this text",
      "",
      "Exit status: 0 trained and saved; 1 failed (bad data, diverged, I/O); 2 bad usage/config.");

  /** Parses arguments; returns null after printing help or a usage error (see exit code). */
  static TrainOptions parse(String[] args, PrintStream err, int[] exit) {
    File config = null;
    List<String> sets = new ArrayList<>();
    String runDir = null;
    String master = null;
    String resume = null;
    String initFrom = null;
    boolean initOptimizer = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        err.println(HELP);
        exit[0] = 0;
        return null;
      }
      if (a.equals("--init-optimizer-state")) {
        initOptimizer = true;
        continue;
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null && a.startsWith("--")) {
        return usage(err, exit, a + " needs a value");
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
        case "--resume":
          resume = value;
          break;
        case "--init-from":
          initFrom = value;
          break;
        default:
          return usage(err, exit, "unknown option '" + a + "'");
      }
      i++;
    }
    if (resume != null) {
      if (runDir != null || initFrom != null || initOptimizer) {
        return usage(err, exit, "--resume continues the run in its own directory from its own "
            + "checkpoint: it takes no --run-dir, --init-from or --init-optimizer-state");
      }
    } else if (config == null) {
      return usage(err, exit, "--config FILE is required (or --resume RUN_DIR)");
    }
    if (initOptimizer && initFrom == null) {
      return usage(err, exit, "--init-optimizer-state needs --init-from");
    }
    return new TrainOptions(config, sets, runDir, master, resume, initFrom, initOptimizer);
  }

  private static TrainOptions usage(PrintStream err, int[] exit, String problem) {
    err.println("sparkprop train: " + problem + "\n\n" + HELP);
    exit[0] = 2;
    return null;
  }
}
