package org.sparkprop.driver.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code evaluate} and {@code predict} share: the model and the data to score. */
final class ScoringOptions {
  @Option(names = "--model", paramLabel = "PATH", required = true,
      description = "the model: a model file, a run directory (its model.sprp) or a saved "
        + "Spark ML model (its data/model.sprp)")
  String model;

  @Option(names = "--config", paramLabel = "FILE",
      description = "a training config: its data section says how to read the data (format, "
        + "columns, labels, CSV options) and which rows (see the command's description)")
  File config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override one config key, e.g. --set data.label_col=y (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--data", paramLabel = "PATH",
      description = "score this input (a file, directory, glob, or with --format table a "
        + "table name) instead of the config's test rows")
  String data;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "the --data input's format: mnist, libsvm, csv, parquet, orc or table "
        + "(default: the config's data.format; without --config, from the name's extension)")
  String format;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master as in spark-submit (default: spark-submit's, else local[*])")
  String master;
}
