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
import java.util.List;
import java.util.Random;
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
 * Tables in: Parquet and ORC files and catalog tables, with a features column of dense or sparse
 * ML vectors or of arrays, train like the text formats do; bad rows are refused naming the
 * column and the row.
 */
class TableInputTest extends SparkTestBase {
  @TempDir Path dir;
  SparkSession spark;

  @BeforeEach
  void session() {
    spark = SparkSession.builder().sparkContext(jsc().sc()).getOrCreate();
  }

  /** Rows of a separable 3-class problem: y = argmax of x's first 3 of 6 features. */
  static List<double[]> problem(int n, long seed) {
    Random r = new Random(seed);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[7];
      for (int j = 0; j < 6; j++) {
        x[j] = r.nextGaussian();
      }
      int y = x[0] > x[1] ? (x[0] > x[2] ? 0 : 2) : (x[1] > x[2] ? 1 : 2);
      x[6] = y;
      rows.add(x);
    }
    return rows;
  }

  private Path parquet(String name, List<double[]> data, String kind) {
    StructType schema = new StructType().add("features", new VectorUDT())
        .add("label", DataTypes.DoubleType).add("id", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    long id = 0;
    for (double[] x : data) {
      double[] f = java.util.Arrays.copyOf(x, 6);
      rows.add(RowFactory.create(kind.equals("sparse") ? Vectors.dense(f).toSparse()
          : Vectors.dense(f), x[6], id++));
    }
    Path p = dir.resolve(name);
    // Three files with the same rows whatever the column's type (a repartition would shuffle).
    org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(jsc().parallelize(rows, 3),
        schema);
    if (kind.equals("array")) { // array<double>, as vector_to_array makes it
      df = df.withColumn("features", org.apache.spark.ml.functions.vector_to_array(
          df.col("features"), "float64"));
    }
    df.write().parquet(p.toString());
    return p;
  }

  record Outcome(int code, String err, Path runDir) {}

  Outcome train(String hocon, String... sets) {
    Path runDir = dir.resolve("run-" + System.nanoTime());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), TestFiles.config(hocon, sets), runDir.toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, err.toString(StandardCharsets.UTF_8), runDir);
  }

  static String config(String format, Object path) {
    return "data { format = " + format + ", train = \"" + path + "\", test_fraction = 0.2,"
        + " partitions = 2 }\nmodel { type = softmax_regression, outputs = 3 }\n"
        + "train { epochs = 4, batch_size = 64 }\noptimizer { name = adam, lr = 0.05 }\n";
  }

  private double accuracy(Outcome o) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.runDir().resolve(
        RunDirectory.SUMMARY).toFile()).path("test_accuracy").asDouble();
  }

  private float[] params(Outcome o) throws Exception {
    return ModelFile.decode(Files.readAllBytes(o.runDir().resolve(RunDirectory.MODEL)), "m")
        .params();
  }

  @Test
  void denseSparseAndArrayColumnsTrainToTheSameParameters() throws Exception {
    List<double[]> data = problem(3000, 1);
    // The held-out split keys on file names, which Spark makes unique: hold out none here.
    Outcome dense = train(config("parquet", parquet("dense", data, "dense")),
        "data.test_fraction=0");
    Outcome sparse = train(config("parquet", parquet("sparse", data, "sparse")),
        "data.test_fraction=0");
    Outcome array = train(config("parquet", parquet("array", data, "array")),
        "data.test_fraction=0");
    Outcome check = train(config("parquet", dir.resolve("dense")));
    assertEquals(0, dense.code(), dense.err());
    assertEquals(0, sparse.code(), sparse.err());
    assertEquals(0, array.code(), array.err());
    assertTrue(accuracy(check) > 0.9, "it learns: " + accuracy(check));
    assertArrayEquals(params(dense), params(array), "arrays are dense rows");
    // Sparse rows go through the CSR path: the same model, to float rounding of a sum order.
    float[] a = params(dense);
    float[] b = params(sparse);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-4 * (1 + Math.abs(a[i])), "param " + i);
    }
  }

  @Test
  void sparseVectorsKeepTheirSizeWhenTheLastFeaturesAreAlwaysZero() throws Exception {
    // As StandardScaler's output on MNIST: pixels at the end of the vector are zero in every row.
    StructType schema = new StructType().add("features", new VectorUDT())
        .add("label", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (double[] x : problem(600, 2)) {
      double[] f = java.util.Arrays.copyOf(x, 10); // features 6..9 always zero
      rows.add(RowFactory.create(Vectors.dense(f).toSparse(), x[6]));
    }
    Path p = dir.resolve("wide");
    spark.createDataFrame(jsc().parallelize(rows, 2), schema).write().parquet(p.toString());
    Outcome o = train(config("parquet", p));
    assertEquals(0, o.code(), o.err());
    assertEquals(10, ModelFile.decode(Files.readAllBytes(o.runDir().resolve(RunDirectory.MODEL)),
        "m").spec().inputDim(), "the vectors' size, not their largest non-zero index + 1");
  }

  @Test
  void orcAndACatalogTableRead() throws Exception {
    List<double[]> data = problem(1500, 2);
    Path p = parquet("for-orc", data, "dense");
    spark.read().parquet(p.toString()).write().orc(dir.resolve("orc").toString());
    Outcome orc = train(config("orc", dir.resolve("orc")));
    assertEquals(0, orc.code(), orc.err());
    spark.read().parquet(p.toString()).createOrReplaceTempView("training_rows");
    Outcome table = train(config("table", "training_rows"));
    assertEquals(0, table.code(), table.err());
    assertTrue(accuracy(table) > 0.85, "" + accuracy(table));
  }

  private String fails(String hocon) {
    Outcome o = train(hocon);
    assertEquals(1, o.code(), "must be refused: " + o.err());
    assertFalse(Files.exists(o.runDir()), "no run directory for bad input");
    assertFalse(o.err().contains("\tat "), o.err());
    return o.err();
  }

  @Test
  void badTablesAreRefusedNamingTheColumnAndRow() throws Exception {
    Path ok = parquet("ok", problem(200, 3), "dense");
    String missing = fails(config("parquet", ok) + "data.features_col = featurs\n");
    assertTrue(missing.contains("has no column 'featurs'") && missing.contains(
        "(did you mean 'features'?)"), missing);
    String type = fails(config("parquet", ok) + "data.features_col = id\n");
    assertTrue(type.contains("column 'id' is bigint: the features must be an ML Vector"), type);
    String label = fails(config("parquet", ok) + "data.label_col = features\n");
    assertTrue(label.contains("column 'features' is vector: the label must be a number"), label);

    StructType schema = new StructType().add("features", new VectorUDT())
        .add("label", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create(Vectors.dense(i, 1, 2), (double) (i % 3)));
    }
    List<Row> withNaN = new ArrayList<>(rows);
    withNaN.set(7, RowFactory.create(Vectors.dense(1, Double.NaN, 2), 0.0));
    List<Row> withNull = new ArrayList<>(rows);
    withNull.set(4, RowFactory.create(null, 1.0));
    List<Row> longer = new ArrayList<>(rows);
    longer.set(9, RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.0));
    List<Row> badLabel = new ArrayList<>(rows);
    badLabel.set(11, RowFactory.create(Vectors.dense(1, 2, 3), 7.0));
    List<Row> nullLabel = new ArrayList<>(rows);
    nullLabel.set(2, RowFactory.create(Vectors.dense(1, 2, 3), null));
    List<Row> nanLabel = new ArrayList<>(rows);
    nanLabel.set(5, RowFactory.create(Vectors.dense(1, 2, 3), Double.NaN));
    String[] expected = {"row 8 of partition 0: features has NaN at index 1",
        "row 5 of partition 0: features is null",
        "row 10 of partition 0: features has 4 values, the rows before it 3",
        "row 12 of partition 0: label: label 7 is out of range",
        "row 3 of partition 0: label is null",
        "row 6 of partition 0: label: label NaN is not a finite number"};
    List<List<Row>> cases = List.of(withNaN, withNull, longer, badLabel, nullLabel, nanLabel);
    for (int c = 0; c < cases.size(); c++) {
      Path p = dir.resolve("bad-" + c);
      spark.createDataFrame(cases.get(c), schema).coalesce(1).write().parquet(p.toString());
      String err = fails(config("parquet", p) + "data.labels = index\n");
      assertTrue(err.contains(expected[c]), err);
    }
    // The same two labels with the labels found in the data (the default) and in a regression
    // (where any finite number is a label): still refused, naming the row.
    for (int c = 4; c < cases.size(); c++) {
      Path p = dir.resolve("bad-" + c);
      String found = fails(config("parquet", p));
      assertTrue(found.contains(expected[c]), found);
      String regression = fails(config("parquet", p).replace(
          "type = softmax_regression, outputs = 3", "type = linear_regression"));
      assertTrue(regression.contains(expected[c]), regression);
    }
  }
}
