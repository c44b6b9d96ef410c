package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.dataset.DatasetLoader;
import org.sparkprop.driver.io.RunDirectory;

/**
 * Bad data fails before training with the file, the line and the offending token, a non-zero
 * exit, and no run directory (so nothing that looks like a finished model).
 */
class BadInputTest extends SparkTestBase {
  @TempDir Path dir;

  private String fails(String hocon) {
    TrainingConfig config = TestFiles.config(hocon);
    Path runDir = dir.resolve("run");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), config, runDir.toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, code, "a bad input must exit 1");
    assertFalse(Files.exists(runDir), "nothing may be written for a bad input");
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A run that starts, then fails: exit 1 and no model in the run directory. */
  private String failsWithoutModel(String hocon) {
    return failsWithoutModel(hocon, 1);
  }

  /** A run that starts, then fails with {@code exit}: no model in the run directory. */
  private String failsWithoutModel(String hocon, int exit) {
    TrainingConfig config = TestFiles.config(hocon);
    Path runDir = dir.resolve("run-" + System.nanoTime());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), config, runDir.toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(exit, code);
    assertFalse(Files.exists(runDir.resolve(RunDirectory.MODEL)), "no model may be written");
    return err.toString(StandardCharsets.UTF_8);
  }

  private String libsvm(Path file, String model) {
    return "data { format = libsvm, train = \"" + file + "\", partitions = 2 }\n" + model;
  }

  @Test
  void malformedLibsvmLineNamesFileLineAndToken() {
    Path f = TestFiles.write(dir, "bad.libsvm",
        "1 1:0.5 2:1\n0 1:0.1\n# a comment\n1 3:abc\n0 2:2\n");
    String err = fails(libsvm(f, "model.type = logistic_regression"));
    assertTrue(err.contains("bad.libsvm:4"), err);
    assertTrue(err.contains("abc"), err);
  }

  @Test
  void nanFeatureInCsvIsRejectedWithItsLine() {
    Path f = TestFiles.write(dir, "nan.csv", "1,0.5,0.25\n0,NaN,1\n1,2,3\n");
    String err = fails("data { format = csv, train = \"" + f + "\", partitions = 2 }\n"
        + "model.type = logistic_regression");
    assertTrue(err.contains("nan.csv:2"), err);
    assertTrue(err.contains("NaN"), err);
  }

  @Test
  void labelOutOfRangeForTheModel() {
    Path f = TestFiles.write(dir, "labels.csv", "0,1,2\n1,1,2\n2,1,2\n5,0,0\n");
    String err = fails("data { format = csv, train = \"" + f + "\", partitions = 2 }\n"
        + "model { type = softmax_regression, outputs = 3 }");
    assertTrue(err.contains("labels.csv:4"), err);
    assertTrue(err.contains("5"), err);
  }

  @Test
  void featureDimensionThatDoesNotMatchTheModel() {
    Path f = TestFiles.write(dir, "dim.csv", "0,1,2\n1,1,2\n0,3,4\n");
    String err = fails("data { format = csv, train = \"" + f + "\", partitions = 2 }\n"
        + "model { type = logistic_regression, input_dim = 7 }");
    assertTrue(err.contains("model.input_dim = 7") && err.contains("2 features"), err);
  }

  @Test
  void libsvmIndexBeyondTheConfiguredDimension() {
    Path f = TestFiles.write(dir, "wide.libsvm", "1 1:1 2:1\n0 9:1\n1 1:1\n");
    String err = fails("data { format = libsvm, train = \"" + f + "\", partitions = 2,"
        + " num_features = 4 }\nmodel.type = logistic_regression");
    assertTrue(err.contains("wide.libsvm:2"), err);
    assertTrue(err.contains("data.num_features"), err);
  }

  @Test
  void emptyDataset() {
    Path f = TestFiles.write(dir, "empty.libsvm", "# nothing but a comment\n\n");
    String err = fails(libsvm(f, "model.type = logistic_regression"));
    assertTrue(err.contains("empty.libsvm") && err.contains("no training data"), err);
  }

  @Test
  void fewerRowsThanPartitions() {
    Path f = TestFiles.write(dir, "one.libsvm", "1 1:1\n");
    String err = fails(libsvm(f, "model.type = logistic_regression"));
    assertTrue(err.contains("1 rows") && err.contains("data.partitions"), err);
  }

  @Test
  void skewedFilesAreRebalancedNotAnError() {
    // Two files: 1 row and 99 rows. Input splits are uneven; partitions end up 33/33/34.
    TestFiles.write(dir, "skew/a.libsvm", "1 1:1\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 99; i++) {
      b.append(i % 2).append(" 1:").append(i % 7).append(" 3:1\n");
    }
    TestFiles.write(dir, "skew/b.libsvm", b.toString());
    TrainingConfig config = TestFiles.config("data { format = libsvm, train = \""
        + dir.resolve("skew") + "\", partitions = 3, block_rows = 10 }\n"
        + "model.type = logistic_regression");
    Dataset ds = new DatasetLoader(jsc(), config.data(), config.model().spec(1), 1).load();
    try {
      assertEquals(100, ds.trainRows());
      assertEquals(3, ds.numFeatures());
      long[] rows = ds.partitionRows();
      assertEquals(3, rows.length);
      assertEquals(33, rows[0]);
      assertEquals(33, rows[1]);
      assertEquals(34, rows[2]);
    } finally {
      ds.unpersist();
    }
  }

  @Test
  void aMalformedFirstCsvRowIsNamedNotTheGoodRowsAfterIt() {
    Path f = TestFiles.write(dir, "first.csv", "1,2\n0,1,2\n1,3,4\n0,5,6\n");
    String err = fails("data { format = csv, train = \"" + f + "\", partitions = 2 }\n"
        + "model.type = logistic_regression");
    // Line 1 has 2 columns, the rest 3: line 1 sets the width (read on the driver), so the
    // first later line is named with both counts.
    assertTrue(err.matches("(?s).*first\\.csv:2: .*expected 2, found 3.*"), err);
  }

  @Test
  void lineNumbersCountDecompressedLinesInGzipFiles() throws Exception {
    Path f = dir.resolve("bad.libsvm.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("1 1:1\n0 2:1\n1 2:x\n".getBytes(StandardCharsets.UTF_8));
    }
    String err = fails(libsvm(f, "model.type = logistic_regression"));
    assertTrue(err.contains("bad.libsvm.gz:3"), err);
  }

  @Test
  void divergenceStopsWithoutAModel() {
    Path f = TestFiles.write(dir, "big.csv", "1e6,1e6\n-1e6,-1e6\n2e6,1e6\n-3e6,2e6\n");
    String err = failsWithoutModel("data { format = csv, train = \"" + f + "\","
        + " partitions = 2 }\nmodel.type = linear_regression\n"
        + "optimizer { name = sgd, lr = 10 }\ntrain { epochs = 50, batch_size = 2 }", 3);
    assertTrue(err.contains("NaN") || err.contains("non-finite"), err);
  }

  @Test
  void divergenceWithSkipPolicyStopsAfterConsecutiveSkips() {
    Path f = TestFiles.write(dir, "big2.csv", "1e6,1e6\n-1e6,-1e6\n2e6,1e6\n-3e6,2e6\n");
    String err = failsWithoutModel("data { format = csv, train = \"" + f + "\","
        + " partitions = 2 }\nmodel.type = linear_regression\n"
        + "optimizer { name = sgd, lr = 10 }\n"
        + "gradient.on_non_finite = skip\ntrain { epochs = 100, batch_size = 2 }", 3);
    assertTrue(err.contains("diverged"), err);
  }

  @Test
  void aScheduleThatDoesNotFitTheRunExitsOneBeforeWriting() {
    Path f = TestFiles.write(dir, "ok.csv", "1,1\n0,2\n1,3\n0,4\n");
    TrainingConfig config = TestFiles.config("data { format = csv, train = \"" + f + "\","
        + " partitions = 2 }\nmodel.type = logistic_regression\n"
        + "lr_schedule { type = cosine, warmup_steps = 100 }\ntrain { epochs = 1 }");
    Path runDir = dir.resolve("run");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), config, runDir.toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("lr_schedule.warmup_steps"),
        err.toString(StandardCharsets.UTF_8));
    assertFalse(Files.exists(runDir));
  }

  @Test
  void aModelDimensionLargerThanTheLargestIndexIsFine() {
    Path f = TestFiles.write(dir, "narrow.libsvm", "1 1:1 2:1\n0 2:1\n1 1:1\n0 3:1\n");
    TrainingConfig config = TestFiles.config(libsvm(f,
        "model { type = logistic_regression, input_dim = 10 }"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), config, dir.resolve("wide-run").toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
  }

  /** Bad lines in both input splits: the first in file order, every time. */
  @Test
  void theFirstBadLineInFileOrderIsReportedInEveryRun() {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 4000; i++) {
      b.append(i == 3001 ? "1 7:zzz" : i == 1200 ? "0 5:yyy" : (i % 2) + " 1:1 3:0.5")
          .append('\n');
    }
    Path f = TestFiles.write(dir, "two-bad.libsvm", b.toString());
    for (int run = 0; run < 3; run++) {
      String err = fails(libsvm(f, "model.type = logistic_regression"));
      assertTrue(err.contains("two-bad.libsvm:1200: bad feature value 'yyy'"), err);
    }
    // With the first one fixed, the one in the second split is named with its own line.
    Path g = TestFiles.write(dir, "one-bad.libsvm", b.toString().replace("0 5:yyy", "0 5:1"));
    String err = fails(libsvm(g, "model.type = logistic_regression"));
    assertTrue(err.contains("one-bad.libsvm:3001: bad feature value 'zzz'"), err);
  }

  @Test
  void binaryGarbageIsShownEscapedAndCut() {
    StringBuilder junk = new StringBuilder("1 1:1\n0 2:\u0000\u0001\u0007");
    for (int i = 0; i < 300; i++) {
      junk.append('\u00ff').append((char) ('a' + i % 26));
    }
    Path f = TestFiles.write(dir, "junk.libsvm", junk + "\n1 1:1\n");
    String err = fails(libsvm(f, "model.type = logistic_regression"));
    assertTrue(err.contains("junk.libsvm:2: "), err);
    assertTrue(err.contains("\\x00\\x01\\x07"), err);
    assertTrue(err.contains("more characters)"), err);
    assertTrue(err.trim().lines().count() == 1 && err.length() < 600, err);
    assertFalse(err.chars().anyMatch(c -> c < 0x20 && c != '\n'), "no raw control bytes: " + err);
  }

  @Test
  void aUtf8ByteOrderMarkIsSkipped() {
    Path f = TestFiles.write(dir, "bom.csv", "\uFEFF1,0.5,0.25\n0,1,1\n1,2,3\n0,4,1\n");
    TrainingConfig config = TestFiles.config("data { format = csv, train = \"" + f
        + "\", partitions = 2 }\nmodel.type = logistic_regression");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), config, dir.resolve("bom-run").toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMistypedValueGetsADidYouMean() {
    org.sparkprop.driver.config.ConfigProblems e = org.junit.jupiter.api.Assertions.assertThrows(
        org.sparkprop.driver.config.ConfigProblems.class, () -> TestFiles.config(
            "data.train = x\nexchange = sign_ef\noptimizer.name = adamw2\n"
                + "model.activation = rleu\n"));
    assertTrue(e.getMessage().contains("(did you mean 'sign-ef'?)"), e.getMessage());
    assertTrue(e.getMessage().contains("(did you mean 'adamw'?)"), e.getMessage());
    assertTrue(e.getMessage().contains("(did you mean 'relu'?)"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(
        org.sparkprop.driver.config.ConfigProblems.class, () -> TestFiles.config(
            "data.train = x\nlr_schedule.type = cosin\n"));
    assertTrue(e.getMessage().contains("(did you mean 'cosine'?)"), e.getMessage());
  }
}
