package org.sparkprop.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.config.DidYouMean;
import org.sparkprop.driver.data.LabelRule;
import org.sparkprop.driver.dataset.ScoringSource;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.Storage;
import org.sparkprop.driver.predict.Predictions;
import org.sparkprop.driver.predict.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sparkprop predict}: a trained model's predictions, written as Parquet. */
@Command(name = "predict", header = "Write a trained model's predictions for a data set as Parquet",
    sortOptions = false, usageHelpAutoWidth = true, usageHelpWidth = 100,
    mixinStandardHelpOptions = true,
    versionProvider = org.sparkprop.driver.Version.class,
    description = {
      "The executors score their partitions and write them; nothing is collected to the",
      "driver. Columns: the --keep columns of a table (parquet, orc, table), or 'row' (the",
      "row's 0-based number in the data's order) for LIBSVM, CSV and MNIST files; then",
      "'prediction' (a classifier's in the data's own labels, e.g. -1/+1) and, for a",
      "classifier, 'probability' (array<double>, one per class in the model's class order).",
      "Labels in the input are not needed and not read.",
      "",
      "  sparkprop predict --model RUN_DIR --data PATH [--format F] --out PATH [--keep id,...]",
      "  sparkprop predict --model RUN_DIR --config FILE --out PATH   (its data.test)",
      ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:written", "1:bad input data or config, no such model, --out exists, an "
        + "I/O error", "2:bad usage", "4:fatal JVM error"})
public final class PredictCli implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Mixin ScoringOptions scoring;

  @Option(names = "--out", paramLabel = "PATH", required = true,
      description = "the Parquet directory to write (any Hadoop path); it must not exist")
  String target;

  @Option(names = "--keep", paramLabel = "COL", split = ",",
      description = "table input: columns to pass through to the output, e.g. --keep id,date")
  List<String> keep = new ArrayList<>();

  @Option(names = "--overwrite", description = "replace --out when it exists")
  boolean overwrite;

  private final JavaSparkContext given;

  public PredictCli(PrintStream out, PrintStream err) {
    this(out, err, null);
  }

  private PredictCli(PrintStream out, PrintStream err, JavaSparkContext given) {
    this.out = out;
    this.err = err;
    this.given = given;
  }

  /** Runs the command with {@code args} on a running Spark context (tests, notebooks). */
  public static int run(JavaSparkContext jsc, PrintStream out, PrintStream err, String... args) {
    return org.sparkprop.driver.Main.configured(new picocli.CommandLine(new PredictCli(out, err, jsc)),
        out, err).execute(args);
  }

  @Override
  public Integer call() {
    try {
      ScoringInput input = ScoringInput.of(scoring, "predict", false);
      if (!keep.isEmpty() && !input.config.data().tabular()) {
        throw new UserError(ExitCodes.USAGE, "--keep names a table's columns; "
            + input.config.data().format() + " rows have none and are numbered in the 'row' "
            + "column instead");
      }
      if (given != null) {
        return predict(given, input);
      }
      try (JavaSparkContext jsc = TrainCommand.spark(scoring.master,
          input.config.spark().appName() + " predict")) {
        jsc.setLogLevel("WARN");
        try {
          return predict(jsc, input);
        } catch (RuntimeException e) {
          throw TrainCommand.stopped(jsc, e);
        }
      }
    } catch (UserError e) {
      err.println("sparkprop predict: " + e.getMessage());
      return e.exitCode();
    }
  }

  private int predict(JavaSparkContext jsc, ScoringInput input) throws UserError {
    ModelFile.Contents m = ModelLocation.read(scoring.model, jsc.hadoopConfiguration());
    TrainedModel model = TrainedModel.of(m);
    Path outPath = TrainCommand.path(target, "--out");
    String where;
    try {
      if (!overwrite && Storage.exists(outPath, jsc.hadoopConfiguration())) {
        throw new UserError(ExitCodes.FAILED, "--out " + target + " exists: give another path, "
            + "or --overwrite to replace it");
      }
      where = outPath.getFileSystem(jsc.hadoopConfiguration()).makeQualified(outPath)
          .toString();
    } catch (IOException e) {
      throw new UserError(ExitCodes.FAILED, "--out " + target + ": " + e.getMessage());
    }
    Dataset<Row> frame = null;
    if (input.config.data().tabular()) {
      frame = ScoringSource.frame(jsc, input.config.data(), input.location);
      List<String> missing = Predictions.missing(frame, keep);
      if (!missing.isEmpty()) {
        throw new UserError(ExitCodes.FAILED, "--keep " + missing.get(0) + ": " + input.location
            + " has no such column" + DidYouMean.hint(missing.get(0), List.of(frame.columns()))
            + "; its columns: " + String.join(", ", frame.columns()));
      }
    }
    ScoringSource.Checked rows = input.read(jsc, m.spec(), LabelRule.ignoring(m.spec()));
    out.println("sparkprop predict: " + m.spec().describe() + " on " + input.describe());
    Broadcast<TrainedModel> bc = jsc.broadcast(model);
    try {
      if (frame != null) {
        Predictions.writeTable(frame, input.config.data().featuresCol(), keep, bc, where,
            overwrite);
      } else {
        Predictions.writeRows(SparkSession.builder().sparkContext(jsc.sc()).getOrCreate(),
            rows.blocks(), rows.rowsBefore(), bc, where, overwrite);
      }
    } finally {
      rows.release();
      bc.destroy();
    }
    out.println(String.format(java.util.Locale.ROOT, "%,d predictions written to %s",
        rows.rows(), where));
    return ExitCodes.OK;
  }
}
