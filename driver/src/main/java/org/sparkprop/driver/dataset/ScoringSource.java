package org.sparkprop.driver.dataset;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.LabelRule;

/**
 * A data set read to be scored by a trained model ({@code evaluate}, {@code predict}): read
 * where it lives by the same readers as training data, checked the same way (the first bad row
 * in file order is reported), but neither balanced nor held in memory longer than the scoring
 * needs. Rows keep the data's order: each source partition's rows in order, and the partitions'
 * place in the data known, so each row has its number.
 */
public final class ScoringSource {
  private ScoringSource() {}

  /** The DataFrame of a table format's {@code location} (a path, or a table name). */
  public static org.apache.spark.sql.Dataset<Row> frame(JavaSparkContext jsc,
      TrainingConfig.Data data, String location) {
    SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
    return new TableSource(spark, data.format(), data.featuresCol(), null).frame(location);
  }

  /**
   * Reads {@code location} (a path, or a table name) as {@code data} describes its format.
   *
   * @param rule how labels are checked and mapped (the model's classes), or ignored
   * @param heldOut read only the rows {@code data.test_fraction} holds out of {@code location}
   *     under {@code seed} (training's split); otherwise every row
   * @throws DataFileException for bad input, empty input, or rows whose feature count is not
   *     the model's
   */
  public static Checked read(JavaSparkContext jsc, TrainingConfig.Data data, String location,
      ModelSpec model, LabelRule rule, boolean heldOut, long seed) {
    double fraction = heldOut ? data.testFraction() : 0;
    boolean libsvm = "libsvm".equals(data.format());
    TrainingConfig.Data settings = libsvm ? data.withNumFeatures(model.inputDim()) : data;
    CheckedSource c;
    switch (data.format()) {
      case "mnist" -> {
        MnistFiles files = MnistFiles.locate(location, data.mnistFetch(),
            jsc.hadoopConfiguration());
        int partitions = data.partitions() > 0 ? data.partitions() : jsc.defaultParallelism();
        location = files.images(true).toString();
        c = CheckedSource.check(IdxSource.read(jsc, files.images(true), files.labels(true),
            partitions, data.blockRows(), rule), location, false, false);
      }
      case "libsvm", "csv" -> c = CheckedSource.check(new TextSource(jsc, settings)
          .read(location, rule, fraction, seed), location, true, false);
      default -> {
        SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
        TableSource table = new TableSource(spark, data.format(), data.featuresCol(),
            rule.ignores() ? null : data.labelCol());
        org.apache.spark.sql.Dataset<Row> df = table.frame(location);
        c = CheckedSource.check(table.read(df, location, rule, data.blockRows(), fraction,
            seed), location, false, false);
      }
    }
    long[] rows = heldOut ? c.testRows : c.trainRows;
    long total = 0;
    for (long r : rows) {
      total += r;
    }
    if (total == 0) {
      c.rdd.unpersist(false);
      throw new DataFileException(location, -1, -1, null, heldOut
          ? "holds no rows held out by data.test_fraction = " + data.testFraction()
          : "holds no rows");
    }
    if (!libsvm && c.width != model.inputDim()) {
      c.rdd.unpersist(false);
      throw new DataFileException(location, -1, -1, null, "has " + c.width + " features, the "
          + "model takes " + model.inputDim() + " (" + model.describe() + ")");
    }
    long[] before = new long[rows.length];
    long sum = 0;
    for (int k = 0; k < rows.length; k++) {
      int partition = c.order == null ? k : c.order[k];
      before[partition] = sum;
      sum += rows[partition];
    }
    JavaRDD<Block> blocks = c.rdd.filter(sb -> sb.block() != null && sb.isTest() == heldOut)
        .map(SourceBlock::block);
    return new Checked(blocks, before, total, location, c.rdd);
  }

  /**
   * Checked rows.
   *
   * @param blocks the rows, each source partition's in their order
   * @param rowsBefore per source partition, the rows of the partitions before it in the data's
   *     order (the 0-based number of its first row)
   * @param rows the rows in all
   * @param location what was read (for MNIST, the images file)
   */
  public record Checked(JavaRDD<Block> blocks, long[] rowsBefore, long rows, String location,
      JavaRDD<SourceBlock> source) {
    /** Releases what the check kept in memory. */
    public void release() {
      source.unpersist(false);
    }
  }
}
