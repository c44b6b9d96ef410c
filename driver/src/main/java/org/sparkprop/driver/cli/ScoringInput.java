package org.sparkprop.driver.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.ConfigProblems;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.LabelRule;
import org.sparkprop.driver.dataset.ScoringSource;

/**
 * What {@code evaluate} and {@code predict} score: the data settings (a config's data section,
 * or {@code --data} with {@code --format}) and which rows: {@code --data}'s, else the config's
 * {@code data.test}, else (evaluate only) the rows {@code data.test_fraction} held out of {@code
 * data.train} in training, chosen by the same seeded split.
 */
final class ScoringInput {
  final TrainingConfig config;
  final String location;
  final boolean heldOut;

  private ScoringInput(TrainingConfig config, String location, boolean heldOut) {
    this.config = config;
    this.location = location;
    this.heldOut = heldOut;
  }

  /**
   * @param command the command's name, for messages
   * @param heldOutAllowed whether the held-out rows of data.train may be scored (evaluate)
   * @throws UserError for a config that does not parse or names no rows to score
   */
  static ScoringInput of(ScoringOptions o, String command, boolean heldOutAllowed)
      throws UserError {
    if (o.config == null && o.data == null) {
      throw new UserError(ExitCodes.USAGE, "give --data PATH (with --format) or --config FILE");
    }
    List<String> sets = new ArrayList<>();
    if (o.config == null) {
      sets.add("data.train=" + quoted(o.data));
    }
    String format = o.format != null ? o.format : o.config == null ? guess(o.data) : null;
    if (format != null) {
      sets.add("data.format=" + format);
    }
    sets.addAll(o.sets);
    TrainingConfig config;
    try {
      config = TrainingConfig.from(ConfigLoader.userLayer(o.config, sets));
    } catch (ConfigProblems e) {
      throw new UserError(ExitCodes.FAILED, e.getMessage());
    }
    TrainingConfig.Data d = config.data();
    if (o.data != null) {
      return new ScoringInput(config, o.data, false);
    }
    if (!d.test().isBlank() || "mnist".equals(d.format())) {
      return new ScoringInput(config, "mnist".equals(d.format()) ? d.train() : d.test(), false);
    }
    if (d.testFraction() > 0 && heldOutAllowed) {
      return new ScoringInput(config, d.train(), true);
    }
    throw new UserError(ExitCodes.FAILED, o.config + " names no test data (data.test)"
        + (heldOutAllowed ? " and holds none out (data.test_fraction = 0)" : "; predict does "
        + "not split data.train by data.test_fraction") + ": give --data PATH");
  }

  /** The rows, read and checked for {@code model}. */
  ScoringSource.Checked read(JavaSparkContext jsc, ModelSpec model, LabelRule rule)
      throws UserError {
    String where = location;
    if (!config.data().tabular()) {
      where = TrainingData.qualified(jsc, location);
    }
    try {
      return ScoringSource.read(jsc, config.data(), where, model, rule, heldOut,
          config.run().seed());
    } catch (DataFileException e) {
      throw new UserError(ExitCodes.FAILED, "bad input: " + e.getMessage());
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new UserError(ExitCodes.FAILED, e.getMessage());
    }
  }

  /** What is scored, for the first line a command prints. */
  String describe() {
    return location + " (" + config.data().format() + (heldOut ? String.format(Locale.ROOT,
        ", the %s held out in training", config.data().testFraction()) : "") + ")";
  }

  private static String guess(String path) throws UserError {
    String name = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    for (String f : new String[] {"parquet", "orc", "csv", "libsvm"}) {
      if (name.endsWith("." + f) || name.endsWith("." + f + ".gz")) {
        return f;
      }
    }
    if (name.endsWith(".svm") || name.endsWith(".svm.gz")) {
      return "libsvm";
    }
    throw new UserError(ExitCodes.USAGE, "--data " + path + ": say its format with --format "
        + "(mnist, libsvm, csv, parquet, orc or table)");
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
