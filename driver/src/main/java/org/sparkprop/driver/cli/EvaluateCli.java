package org.sparkprop.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.data.LabelRule;
import org.sparkprop.driver.dataset.ScoringSource;
import org.sparkprop.driver.io.AtomicFiles;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.predict.Evaluation;
import org.sparkprop.driver.predict.EvaluationReport;
import org.sparkprop.driver.predict.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sparkprop evaluate}: a trained model's metrics on labelled data. */
@Command(name = "evaluate", header = "Score a trained model on labelled data: metrics, printed and as JSON",
    sortOptions = false, usageHelpAutoWidth = true, usageHelpWidth = 100,
    mixinStandardHelpOptions = true,
    versionProvider = org.sparkprop.driver.Version.class,
    description = {
      "Scores every row on the executors and prints, for a classifier, accuracy, log loss,",
      "precision, recall and F1 per class (named by the data's own labels) and the confusion",
      "matrix; for a regressor RMSE, MAE and R². The same figures go to --out as JSON.",
      "",
      "  sparkprop evaluate --model RUN_DIR --config FILE   (its data.test, else the rows",
      "                                                      data.test_fraction held out)",
      "  sparkprop evaluate --model MODEL --data PATH [--format F] [--set data.label_col=y]",
      ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:evaluated", "1:bad input data or config, no such model, an I/O error",
      "2:bad usage", "4:fatal JVM error"})
public final class EvaluateCli implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Mixin ScoringOptions scoring;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "evaluation.json",
      description = "where the metrics go as JSON (default: ${DEFAULT-VALUE}; replaced whole)")
  String json;

  private final JavaSparkContext given;

  public EvaluateCli(PrintStream out, PrintStream err) {
    this(out, err, null);
  }

  private EvaluateCli(PrintStream out, PrintStream err, JavaSparkContext given) {
    this.out = out;
    this.err = err;
    this.given = given;
  }

  /** Runs the command with {@code args} on a running Spark context (tests, notebooks). */
  public static int run(JavaSparkContext jsc, PrintStream out, PrintStream err, String... args) {
    return org.sparkprop.driver.Main.configured(new picocli.CommandLine(new EvaluateCli(out, err, jsc)),
        out, err).execute(args);
  }

  @Override
  public Integer call() {
    try {
      ScoringInput input = ScoringInput.of(scoring, "evaluate", true);
      if (given != null) {
        return evaluate(given, input);
      }
      try (JavaSparkContext jsc = TrainCommand.spark(scoring.master,
          input.config.spark().appName() + " evaluate")) {
        jsc.setLogLevel("WARN");
        try {
          return evaluate(jsc, input);
        } catch (RuntimeException e) {
          throw TrainCommand.stopped(jsc, e);
        }
      }
    } catch (UserError e) {
      err.println("sparkprop evaluate: " + e.getMessage());
      return e.exitCode();
    }
  }

  private int evaluate(JavaSparkContext jsc, ScoringInput input) throws UserError {
    ModelFile.Contents m = ModelLocation.read(scoring.model, jsc.hadoopConfiguration());
    TrainedModel model = TrainedModel.of(m);
    Path target = TrainCommand.path(json, "--out");
    ScoringSource.Checked rows = input.read(jsc, m.spec(), LabelRule.of(m.spec(),
        model.labels()));
    out.println("sparkprop evaluate: " + m.spec().describe() + " on " + input.describe());
    Broadcast<TrainedModel> bc = jsc.broadcast(model);
    EvaluationReport report;
    try {
      report = Evaluation.run(bc, rows.blocks());
    } finally {
      rows.release();
      bc.destroy();
    }
    report.lines().forEach(out::println);
    try {
      com.fasterxml.jackson.databind.node.ObjectNode doc =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      doc.put("model_path", scoring.model);
      doc.put("data", rows.location());
      doc.put("held_out", input.heldOut);
      doc.setAll(report.json());
      AtomicFiles.write(target, jsc.hadoopConfiguration(), (doc.toPrettyString() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UserError(ExitCodes.FAILED, "cannot write " + json + ": " + e.getMessage());
    }
    out.println("metrics written to " + json);
    return ExitCodes.OK;
  }
}
