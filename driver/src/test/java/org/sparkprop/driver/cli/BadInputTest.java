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
}
