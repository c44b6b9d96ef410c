package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.core.data.RowSink;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;

/**
 * {@code sparkprop evaluate} and {@code predict}: figures checked against the trainer's own
 * held-out evaluation and against the model applied row by row in the test; Parquet written by
 * the executors; every refusal one line.
 */
class ScoringCommandsTest extends SparkTestBase {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  SparkSession spark;

  @BeforeEach
  void session() {
    spark = SparkSession.builder().sparkContext(jsc().sc()).getOrCreate();
  }

  record Outcome(int code, String out, String err) {}

  Outcome evaluate(String... args) {
    return run(true, args);
  }

  Outcome predict(String... args) {
    return run(false, args);
  }

  private Outcome run(boolean evaluate, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = evaluate ? EvaluateCli.run(jsc(), o, e, args) : PredictCli.run(jsc(), o, e, args);
    return new Outcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  Path train(Path config, String name) throws Exception {
    Path runDir = dir.resolve(name);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), TestFiles.config(Files.readString(config)),
        runDir.toString(), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return runDir;
  }

  /** A 3-class CSV set labelled 1..3 (one-based, as multiclass public sets often are). */
  Path oneBasedCsv(String name, int rows, int seed) throws Exception {
    Path src = TestFiles.generate(dir.resolve(name + ".src"), "--kind", "multiclass", "--format",
        "csv", "--rows", Integer.toString(rows), "--features", "6", "--classes", "3", "--seed",
        Integer.toString(seed), "--noise", "0.1");
    StringBuilder b = new StringBuilder();
    for (String line : Files.readAllLines(src)) {
      int comma = line.indexOf(',');
      b.append(Integer.parseInt(line.substring(0, comma)) + 1).append(line.substring(comma))
          .append('\n');
    }
    return Files.writeString(dir.resolve(name + ".csv"), b.toString());
  }

  @Test
  void evaluateOnTheHeldOutRowsGivesTheTrainersFiguresAndAConsistentMatrix() throws Exception {
    Path data = oneBasedCsv("multi", 3000, 5);
    Path config = Files.writeString(dir.resolve("multi.conf"), "data { format = csv, train = \""
        + data + "\", test_fraction = 0.25, partitions = 2 }\n"
        + "model { type = mlp, hidden = [8], outputs = 3 }\ntrain.epochs = 2\n"
        + "optimizer { name = adam, lr = 0.02 }\n");
    Path run = train(config, "run");
    Path json = dir.resolve("eval.json");
    Outcome o = evaluate("--model", run.toString(), "--config", config.toString(), "--out",
        json.toString());
    assertEquals(0, o.code(), o.err());
    JsonNode summary = JSON.readTree(run.resolve(RunDirectory.SUMMARY).toFile());
    JsonNode e = JSON.readTree(json.toFile());
    assertEquals(summary.path("test_rows").asLong(), e.path("rows").asLong());
    assertEquals(summary.path("test_accuracy").asDouble(), e.path("accuracy").asDouble(), 1e-12,
        "the same rows as the trainer held out, the same accuracy");
    assertEquals(summary.path("test_loss").asDouble(), e.path("log_loss").asDouble(), 1e-9);
    assertTrue(e.path("held_out").asBoolean());
    long total = 0;
    long diagonal = 0;
    JsonNode counts = e.path("confusion_matrix").path("counts");
    for (int t = 0; t < 3; t++) {
      long rowSum = 0;
      for (int p = 0; p < 3; p++) {
        long c = counts.get(t).get(p).asLong();
        rowSum += c;
        diagonal += t == p ? c : 0;
      }
      assertEquals(e.path("per_class").get(t).path("support").asLong(), rowSum);
      long predicted = 0;
      for (int r = 0; r < 3; r++) {
        predicted += counts.get(r).get(t).asLong();
      }
      assertEquals(counts.get(t).get(t).asDouble() / predicted,
          e.path("per_class").get(t).path("precision").asDouble(), 1e-12);
      total += rowSum;
    }
    assertEquals(e.path("rows").asLong(), total);
    assertEquals(diagonal / (double) total, e.path("accuracy").asDouble(), 1e-12);
    assertEquals("[\"1\",\"2\",\"3\"]", e.path("confusion_matrix").path("labels").toString(),
        "classes named by the data's own labels");
    assertTrue(o.out().contains("confusion matrix"), o.out());
    assertTrue(o.out().lines().anyMatch(l -> l.trim().startsWith("3 ")), o.out());

    Outcome again = evaluate("--model", run.toString(), "--config", config.toString(), "--out",
        dir.resolve("eval2.json").toString());
    assertEquals(Files.readString(json), Files.readString(dir.resolve("eval2.json")),
        "the same figures to the last digit in a second run");
    assertEquals(0, again.code());
  }

  @Test
  void regressionMetricsMatchTheModelAppliedRowByRow() throws Exception {
    Path data = TestFiles.generate(dir.resolve("lin.csv"), "--kind", "linear", "--format", "csv",
        "--rows", "1500", "--features", "4", "--seed", "3", "--noise", "0.3");
    Path config = Files.writeString(dir.resolve("lin.conf"), "data { format = csv, train = \""
        + data + "\", partitions = 2 }\nmodel.type = linear_regression\n"
        + "train { epochs = 4, batch_size = 32 }\n"
        + "optimizer { name = adam, lr = 0.05 }\n");
    Path run = train(config, "lin");
    Path json = dir.resolve("lin.json");
    Outcome o = evaluate("--model", run.resolve(RunDirectory.MODEL).toString(), "--data",
        data.toString(), "--out", json.toString());
    assertEquals(0, o.code(), o.err());
    ModelFile.Contents m = ModelFile.decode(Files.readAllBytes(run.resolve(RunDirectory.MODEL)),
        "m");
    List<String> lines = Files.readAllLines(data);
    RowSink sink = RowSink.dense(4);
    double[] y = new double[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      y[i] = Double.parseDouble(f[0]);
      float[] x = new float[4];
      for (int j = 0; j < 4; j++) {
        x[j] = Float.parseFloat(f[j + 1]);
      }
      sink.addDense(x, (float) y[i]);
    }
    float[] pred = new float[lines.size()];
    new Network(m.spec()).predict(m.params(), sink.finish(), pred);
    double se = 0;
    double ae = 0;
    double mean = 0;
    for (int i = 0; i < y.length; i++) {
      double err = pred[i] - (float) y[i];
      se += err * err;
      ae += Math.abs(err);
      mean += (float) y[i];
    }
    mean /= y.length;
    double sst = 0;
    for (double v : y) {
      sst += ((float) v - mean) * ((float) v - mean);
    }
    JsonNode e = JSON.readTree(json.toFile());
    assertEquals("regression", e.path("task").asText());
    assertEquals(y.length, e.path("rows").asLong());
    // Float forward passes over other batch sizes round differently: 1e-6 relative.
    assertEquals(Math.sqrt(se / y.length), e.path("rmse").asDouble(), 1e-6 * Math.sqrt(se
        / y.length));
    assertEquals(ae / y.length, e.path("mae").asDouble(), 1e-6 * ae / y.length);
    assertEquals(1 - se / sst, e.path("r2").asDouble(), 1e-6);
    assertTrue(e.path("r2").asDouble() > 0.5, "learned something: " + e);
  }

  @Test
  void predictWritesTenThousandNumberedRowsInTheDatasLabels() throws Exception {
    Path src = TestFiles.generate(dir.resolve("bin.src"), "--kind", "logistic", "--format",
        "libsvm", "--rows", "10000", "--features", "30", "--nnz", "6", "--seed", "8");
    StringBuilder b = new StringBuilder();
    List<String> lines = Files.readAllLines(src);
    for (String line : lines) {
      b.append(line.startsWith("1 ") ? "+1" + line.substring(1) : "-1" + line.substring(1))
          .append('\n');
    }
    Path data = Files.writeString(dir.resolve("pm.libsvm"), b.toString());
    Path config = Files.writeString(dir.resolve("pm.conf"), "data { format = libsvm, train = \""
        + data + "\", partitions = 3, num_features = 30 }\nmodel.type = logistic_regression\n"
        + "train.epochs = 1\noptimizer { name = adam, lr = 0.05 }\n");
    Path run = train(config, "pm");
    Path out = dir.resolve("pred.parquet");
    Outcome o = predict("--model", run.toString(), "--data", data.toString(), "--format",
        "libsvm", "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("10,000 predictions written to"), o.out());
    Dataset<Row> p = spark.read().parquet(out.toString());
    assertEquals(List.of("row", "prediction", "probability"), List.of(p.columns()));
    List<Row> rows = p.orderBy("row").collectAsList();
    assertEquals(10_000, rows.size());

    ModelFile.Contents m = ModelFile.decode(Files.readAllBytes(run.resolve(RunDirectory.MODEL)),
        "m");
    RowSink sink = RowSink.dense(30);
    for (String line : lines) {
      float[] x = new float[30];
      String[] t = line.trim().split(" ");
      for (int k = 1; k < t.length; k++) {
        String[] iv = t[k].split(":");
        x[Integer.parseInt(iv[0]) - 1] = Float.parseFloat(iv[1]);
      }
      sink.addDense(x, 0f);
    }
    float[] prob = new float[lines.size()];
    new Network(m.spec()).predict(m.params(), sink.finish(), prob);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      assertEquals(i, r.getLong(0), "rows numbered in file order");
      assertEquals(prob[i] > 0.5f ? 1.0 : -1.0, r.getDouble(1), "row " + i);
      List<Double> pr = r.getList(2);
      assertEquals(2, pr.size());
      assertEquals(prob[i], pr.get(1), 1e-6, "row " + i);
      assertEquals(1 - prob[i], pr.get(0), 1e-6, "row " + i);
    }

    Outcome exists = predict("--model", run.toString(), "--data", data.toString(), "--out",
        out.toString(), "--format", "libsvm");
    assertEquals(1, exists.code());
    assertEquals(1, exists.err().lines().count(), exists.err());
    assertTrue(exists.err().contains("exists: give another path, or --overwrite"), exists.err());
    Outcome keep = predict("--model", run.toString(), "--data", data.toString(), "--out",
        dir.resolve("other").toString(), "--format", "libsvm", "--keep", "id");
    assertEquals(2, keep.code(), keep.err());
    assertTrue(keep.err().contains("--keep names a table's columns"), keep.err());
  }

  /** A table of ids, 5-wide feature vectors and labels 0..2 (argmax of the first three). */
  Path table(String name, int n) {
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("features", new org.apache.spark.ml.linalg.VectorUDT())
        .add("label", DataTypes.DoubleType);
    java.util.Random r = new java.util.Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[5];
      for (int j = 0; j < 5; j++) {
        x[j] = r.nextGaussian();
      }
      int y = x[0] > x[1] ? (x[0] > x[2] ? 0 : 2) : (x[1] > x[2] ? 1 : 2);
      rows.add(RowFactory.create("id-" + i, Vectors.dense(x), (double) y));
    }
    Path p = dir.resolve(name);
    spark.createDataFrame(jsc().parallelize(rows, 3), schema).write().parquet(p.toString());
    return p;
  }

  @Test
  void predictOnATableKeepsTheIdColumnsAndMatchesEvaluate() throws Exception {
    Path t = table("t.parquet", 2000);
    Path config = Files.writeString(dir.resolve("t.conf"), "data { format = parquet, train = \""
        + t + "\", partitions = 2 }\nmodel { type = softmax_regression, outputs = 3 }\n"
        + "train.epochs = 3\noptimizer { name = adam, lr = 0.05 }\n");
    Path run = train(config, "t");
    Path out = dir.resolve("tp");
    Outcome o = predict("--model", run.toString(), "--data", t.toString(), "--out",
        out.toString(), "--keep", "id");
    assertEquals(0, o.code(), o.err());
    Dataset<Row> p = spark.read().parquet(out.toString());
    assertEquals(List.of("id", "prediction", "probability"), List.of(p.columns()));
    Dataset<Row> joined = p.join(spark.read().parquet(t.toString()), "id");
    assertEquals(2000, joined.count());
    long correct = joined.where("prediction = label").count();
    Path json = dir.resolve("t.json");
    assertEquals(0, evaluate("--model", run.toString(), "--data", t.toString(), "--out",
        json.toString()).code());
    assertEquals(JSON.readTree(json.toFile()).path("accuracy").asDouble(), correct / 2000.0,
        1e-12, "predict and evaluate agree row for row");

    Outcome typo = predict("--model", run.toString(), "--data", t.toString(), "--out",
        dir.resolve("tp2").toString(), "--keep", "idd");
    assertEquals(1, typo.code());
    assertTrue(typo.err().contains("--keep idd: ") && typo.err().contains("has no such column")
        && typo.err().contains("did you mean 'id'?"), typo.err());
    assertFalse(Files.exists(dir.resolve("tp2")));
  }

  @Test
  void badInputAndModelsAreOneLineEach() throws Exception {
    Path data = oneBasedCsv("m3", 600, 2);
    Path config = Files.writeString(dir.resolve("m3.conf"), "data { format = csv, train = \""
        + data + "\", partitions = 2 }\nmodel { type = softmax_regression, outputs = 3 }\n"
        + "train.epochs = 1\n");
    Path run = train(config, "m3");
    Path json = dir.resolve("x.json");
    Path bad = Files.writeString(dir.resolve("bad.csv"), "1,0,0,0,0,0,0\n2,1,1,1,1,1,1\n"
        + "4,0,0,0,0,0,1\n");
    Outcome label = evaluate("--model", run.toString(), "--data", bad.toString(), "--out",
        json.toString());
    assertEquals(1, label.code());
    assertTrue(label.err().contains("bad.csv:3: label 4 is not one of the model's labels "
        + "[1, 2, 3]"), label.err());
    Path narrow = Files.writeString(dir.resolve("narrow.csv"), "1,0,0,0\n2,1,1,1\n");
    Outcome width = evaluate("--model", run.toString(), "--data", narrow.toString(), "--out",
        json.toString());
    assertEquals(1, width.code());
    assertTrue(width.err().contains("has 3 features, the model takes 6"), width.err());
    Outcome missing = evaluate("--model", dir.resolve("nope").toString(), "--data",
        data.toString(), "--out", json.toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("no such file or directory"), missing.err());
    Files.createDirectories(dir.resolve("empty-dir"));
    Outcome noModel = evaluate("--model", dir.resolve("empty-dir").toString(), "--data",
        data.toString(), "--out", json.toString());
    assertEquals(1, noModel.code());
    assertTrue(noModel.err().contains("a directory with no model.sprp"), noModel.err());
    Outcome noTest = evaluate("--model", run.toString(), "--config", config.toString());
    assertEquals(1, noTest.code());
    assertTrue(noTest.err().contains("names no test data (data.test) and holds none out"),
        noTest.err());
    Outcome noFormat = evaluate("--model", run.toString(), "--data", dir.resolve("x.dat")
        .toString());
    assertEquals(2, noFormat.code());
    assertTrue(noFormat.err().contains("say its format with --format"), noFormat.err());
    for (Outcome o : List.of(label, width, missing, noModel, noTest, noFormat)) {
      assertEquals(1, o.err().lines().count(), o.err());
    }
    assertFalse(Files.exists(json), "no metrics written for a refused evaluation");
  }

  @Test
  void aSparkMlModelDirectoryIsAModelToo() throws Exception {
    Path t = table("ml.parquet", 600);
    org.sparkprop.driver.ml.SparkpropClassificationModel m =
        new org.sparkprop.driver.ml.SparkpropClassifier().setModelType("softmax_regression")
            .setEpochs(2).setNumPartitions(2).setLearningRate(0.05)
            .fit(spark.read().parquet(t.toString()));
    Path saved = dir.resolve("saved-model");
    m.write().save(saved.toString());
    Path json = dir.resolve("ml.json");
    Outcome o = evaluate("--model", saved.toString(), "--data", t.toString(), "--out",
        json.toString());
    assertEquals(0, o.code(), o.err());
    double sparkMl = new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator()
        .setMetricName("accuracy").evaluate(m.transform(spark.read().parquet(t.toString())));
    assertEquals(sparkMl, JSON.readTree(json.toFile()).path("accuracy").asDouble(), 1e-12);
    assertArrayEquals(new String[] {"0", "1", "2"}, new String[] {
        JSON.readTree(json.toFile()).path("per_class").get(0).path("label").asText(),
        JSON.readTree(json.toFile()).path("per_class").get(1).path("label").asText(),
        JSON.readTree(json.toFile()).path("per_class").get(2).path("label").asText()});
  }
}
