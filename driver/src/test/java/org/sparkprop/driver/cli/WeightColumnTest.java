package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;

/**
 * {@code data.weight_col}: row weights scale each row's loss and gradient (a batch's loss is
 * {@code sum(w * loss) / rows}), so under plain SGD weights of 2 are the learning rate doubled,
 * bit for bit, and weights of 1 change nothing; a class weighted 0 is not learnt; bad weights are
 * refused naming the column and the row.
 */
class WeightColumnTest extends SparkTestBase {
  @TempDir Path dir;
  SparkSession spark;

  @BeforeEach
  void session() {
    spark = SparkSession.builder().sparkContext(jsc().sc()).getOrCreate();
  }

  /** TableInputTest's 3-class problem with weight columns one (1), two (2) and no2 (0 for 2). */
  private Path table() {
    StructType schema = new StructType().add("features", new VectorUDT())
        .add("label", DataTypes.DoubleType).add("one", DataTypes.DoubleType)
        .add("two", DataTypes.FloatType).add("no2", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (double[] x : TableInputTest.problem(3000, 5)) {
      rows.add(RowFactory.create(Vectors.dense(Arrays.copyOf(x, 6)), x[6], 1.0, 2f,
          x[6] == 2 ? 0 : 1));
    }
    Path p = dir.resolve("weighted");
    spark.createDataFrame(jsc().parallelize(rows, 3), schema).write().parquet(p.toString());
    return p;
  }

  record Outcome(int code, String err, Path runDir) {}

  private Outcome train(String hocon, String... sets) {
    Path runDir = dir.resolve("run-" + System.nanoTime());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), TestFiles.config(hocon, sets), runDir.toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, err.toString(StandardCharsets.UTF_8), runDir);
  }

  private static String config(Object path) {
    return "data { format = parquet, train = \"" + path + "\", test_fraction = 0.2,"
        + " partitions = 2 }\nmodel { type = softmax_regression, outputs = 3 }\n"
        + "train { epochs = 3, batch_size = 64 }\noptimizer { name = sgd, lr = 0.1 }\n";
  }

  private static float[] params(Outcome o) throws Exception {
    assertEquals(0, o.code(), o.err());
    return ModelFile.decode(Files.readAllBytes(o.runDir().resolve(RunDirectory.MODEL)), "m")
        .params();
  }

  private static double accuracy(Outcome o) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.runDir().resolve(
        RunDirectory.SUMMARY).toFile()).path("test_accuracy").asDouble();
  }

  @Test
  void weightsScaleEachRowsGradient() throws Exception {
    Path p = table();
    Outcome plain = train(config(p));
    float[] unweighted = params(plain);
    assertArrayEquals(unweighted, params(train(config(p), "data.weight_col=one")),
        "weights of 1 change nothing");
    assertArrayEquals(unweighted, params(train(config(p), "data.weight_col=two",
        "optimizer.lr=0.05")), "weights of 2 under SGD: the learning rate doubled");
    float[] other = params(train(config(p), "data.weight_col=two"));
    assertFalse(Arrays.equals(unweighted, other), "weights of 2 at the same rate: another run");

    Outcome noClass2 = train(config(p), "data.weight_col=no2");
    params(noClass2);
    assertTrue(accuracy(plain) > 0.9, "it learns: " + accuracy(plain));
    // Class 2 (a third of the rows) weighs nothing: the model does not learn to predict it.
    assertTrue(accuracy(noClass2) < 0.75, "class 2 unlearnt: " + accuracy(noClass2));
  }

  private String fails(String hocon, String... sets) {
    Outcome o = train(hocon, sets);
    assertEquals(1, o.code(), "must be refused: " + o.err());
    assertFalse(Files.exists(o.runDir()), "no run directory for bad input");
    assertFalse(o.err().contains("\tat "), o.err());
    return o.err();
  }

  @Test
  void badWeightsAreRefusedNamingTheColumnAndRow() throws Exception {
    StructType schema = new StructType().add("features", new VectorUDT())
        .add("label", DataTypes.DoubleType).add("w", DataTypes.DoubleType)
        .add("name", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create(Vectors.dense(i, 1, 2), (double) (i % 3), 1.5, "r" + i));
    }
    Object[][] bad = {{6, -1.0}, {3, Double.NaN}, {9, null}, {2, Double.POSITIVE_INFINITY}};
    String[] expected = {"row 7 of partition 0: w is -1.0: a row weight must be a finite number "
        + ">= 0", "row 4 of partition 0: w is NaN", "row 10 of partition 0: w is null",
        "row 3 of partition 0: w is Infinity"};
    for (int c = 0; c < bad.length; c++) {
      List<Row> copy = new ArrayList<>(rows);
      int r = (Integer) bad[c][0];
      copy.set(r, RowFactory.create(Vectors.dense(1, 2, 3), 0.0, bad[c][1], "x"));
      Path p = dir.resolve("bad-" + c);
      spark.createDataFrame(copy, schema).coalesce(1).write().parquet(p.toString());
      String err = fails(config(p), "data.weight_col=w");
      assertTrue(err.contains(expected[c]), err);
    }
    Path p = dir.resolve("bad-0");
    String missing = fails(config(p), "data.weight_col=weight");
    assertTrue(missing.contains("has no column 'weight' for the row weights (data.weight_col)"),
        missing);
    String type = fails(config(p), "data.weight_col=name");
    assertTrue(type.contains("column 'name' is string: the row weights must be a number"), type);
    String format = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> TestFiles.config("data { format = libsvm, train = \"x.libsvm\" }\n"
        + "model { type = logistic_regression }\n", "data.weight_col=w")).getMessage();
    assertTrue(format.contains("data.weight_col: row weights are read from tables")
        && format.contains("not libsvm"), format);
  }
}
