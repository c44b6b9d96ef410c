package org.sparkprop.examples;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.dataset.DatasetLoader;
import org.sparkprop.driver.dataset.MnistFiles;
import org.sparkprop.driver.io.MetricsSink;
import org.sparkprop.driver.spark.SparkSetup;
import org.sparkprop.driver.train.Trainer;

/**
 * W1 (conf/examples/mnist-mlp.conf: MNIST 784-256-10, Adam, batch 256, 5 epochs, local[2]) read
 * from the IDX files and from the same rows as a Parquet table (an ML Vector column
 * {@code features} and a {@code label}, written once), alternating in one JVM after a warm-up
 * run of each that is not counted (A B B A A B ...): the time to read and cache the data, the
 * training time, both together, the test accuracy, and whether the two inputs trained the same
 * model bit for bit.
 *
 * <pre>SPARKPROP_MAIN=org.sparkprop.examples.TableInputBench bin/sparkprop [PAIRS] [WORK_DIR]</pre>
 */
public final class TableInputBench {
  private TableInputBench() {}

  /** One run's figures, in seconds. */
  record Run(String input, double load, double train, double accuracy, float[] params) {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Path work = Path.of(args.length > 1 ? args[1] : "runs/table-input-bench");
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (JavaSparkContext jsc = new JavaSparkContext(SparkSetup.conf("local[2]",
        "sparkprop-table-input-bench").set("spark.ui.enabled", "false"))) {
      jsc.setLogLevel("WARN");
      SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
      MnistFiles files = MnistFiles.locate(new File("data/mnist").getAbsolutePath(), true,
          jsc.hadoopConfiguration());
      Path train = work.resolve("train.parquet");
      Path test = work.resolve("test.parquet");
      if (!Files.exists(test.resolve("_SUCCESS"))) {
        writeTable(spark, files, false, train);
        writeTable(spark, files, true, test);
      }
      List<String> common = List.of("train.log_every=100000", "checkpoint.every_epochs=0");
      TrainingConfig idx = config(common, List.of());
      TrainingConfig parquet = config(common, List.of("data.format=parquet",
          "data.train=\"" + train.toAbsolutePath() + "\"",
          "data.test=\"" + test.toAbsolutePath() + "\""));
      List<Run> runs = new ArrayList<>();
      for (int i = -2; i < 2 * pairs; i++) {
        boolean table = i < 0 ? i == -1 : (i % 4 == 1) || (i % 4 == 2);
        Run r = run(jsc, table ? parquet : idx, table ? "parquet" : "idx", quiet);
        System.out.println(String.format(Locale.ROOT, "%-8s %-8s read+cache %.2f s  training "
            + "%.2f s  together %.2f s  test accuracy %.2f%%", i < 0 ? "warm-up" : "run "
            + (i + 1), r.input(), r.load(), r.train(), r.load() + r.train(),
            100 * r.accuracy()));
        if (i >= 0) {
          runs.add(r);
        }
      }
      double idxLoad = mean(runs, "idx", Run::load);
      double tableLoad = mean(runs, "parquet", Run::load);
      double idxTrain = mean(runs, "idx", Run::train);
      double tableTrain = mean(runs, "parquet", Run::train);
      boolean same = runs.stream().allMatch(r -> Arrays.equals(r.params(), runs.get(0).params()));
      System.out.println(String.format(Locale.ROOT, "%d runs each: read+cache %.2f s (IDX) vs "
          + "%.2f s (Parquet); training %.2f s vs %.2f s (%+.1f %%); together %.2f s vs %.2f s "
          + "(%+.1f %%); the same model from both inputs: %s", pairs, idxLoad, tableLoad,
          idxTrain, tableTrain, 100 * (tableTrain / idxTrain - 1), idxLoad + idxTrain,
          tableLoad + tableTrain, 100 * ((tableLoad + tableTrain) / (idxLoad + idxTrain) - 1),
          same ? "yes, bit for bit" : "no"));
    }
  }

  private static TrainingConfig config(List<String> common, List<String> more) {
    List<String> sets = new ArrayList<>(common);
    sets.addAll(more);
    return TrainingConfig.from(ConfigLoader.userLayer(new File("conf/examples/mnist-mlp.conf"),
        sets));
  }

  private static Run run(JavaSparkContext jsc, TrainingConfig config, String input,
      PrintStream quiet) {
    long t0 = System.nanoTime();
    Dataset data = new DatasetLoader(jsc, config.data(), config.model().spec(784),
        config.run().seed()).load();
    double load = (System.nanoTime() - t0) / 1e9;
    try {
      ModelSpec spec = config.model().spec(data.numFeatures());
      TrainingConfig withParts = config.withPartitions(data.numPartitions());
      float[] params = new float[spec.numParams()];
      new Network(spec).init(params, withParts.run().seed());
      Trainer.Result r = new Trainer(jsc, withParts, data, spec, quiet)
          .run(Trainer.Start.fresh(params), MetricsSink.none(), null);
      return new Run(input, load, r.trainSeconds(),
          r.finalEvaluation().stats().accuracy(), r.params());
    } finally {
      data.unpersist();
    }
  }

  private static double mean(List<Run> runs, String input,
      java.util.function.ToDoubleFunction<Run> f) {
    return runs.stream().filter(r -> r.input().equals(input)).mapToDouble(f).average()
        .orElse(0);
  }

  /** MNIST's training (or test) rows as Parquet: label (double), features (an ML Vector). */
  static void writeTable(SparkSession spark, MnistFiles files, boolean test, Path out) {
    String images = files.images(test).toString();
    String labels = files.labels(test).toString();
    int parts = 4;
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      ids.add(i);
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    var rows = jsc.parallelize(ids, parts).mapPartitions(it -> slice(images, labels, it.next(),
        parts));
    spark.createDataFrame(rows, schema).write().mode("overwrite").parquet(out.toString());
    System.out.println("wrote " + out);
  }

  private static Iterator<Row> slice(String images, String labels, int part, int parts)
      throws IOException {
    DenseBlock b = MnistPipeline.readIdx(images, labels);
    int n = b.numRows();
    int width = b.numFeatures();
    int from = (int) ((long) n * part / parts);
    int to = (int) ((long) n * (part + 1) / parts);
    List<Row> out = new ArrayList<>(to - from);
    float[] x = b.features();
    for (int r = from; r < to; r++) {
      double[] v = new double[width];
      for (int j = 0; j < width; j++) {
        v[j] = x[r * width + j];
      }
      out.add(RowFactory.create((double) b.label(r), Vectors.dense(v)));
    }
    return out.iterator();
  }
}
