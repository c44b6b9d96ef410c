package org.sparkprop.driver.predict;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkprop.core.data.Block;

/**
 * Predictions written as Parquet by the executors, each scoring its own partitions in batches;
 * nothing is collected to the driver. Columns: the kept input columns (a table's) or {@code
 * row} (a file's rows, numbered from 0 in the data's order), then {@code prediction} (a
 * classifier's in the data's own labels) and, for a classifier, {@code probability} (an array
 * of double, one per class in the model's class order).
 */
public final class Predictions {
  private Predictions() {}

  /** The output columns after the kept ones. */
  static StructType scores(StructType kept, TrainedModel m) {
    StructType s = kept.add("prediction", DataTypes.DoubleType, false);
    return m.numClasses() > 0
        ? s.add("probability", DataTypes.createArrayType(DataTypes.DoubleType, false), false) : s;
  }

  /**
   * Scores {@code df}'s {@code featuresCol} and writes {@code keep} and the scores to {@code
   * out}.
   *
   * @throws IllegalArgumentException for a kept column that is not there
   */
  public static void writeTable(Dataset<Row> df, String featuresCol, List<String> keep,
      Broadcast<TrainedModel> model, String out, boolean overwrite) {
    List<Column> cols = new ArrayList<>();
    for (String k : keep) {
      cols.add(df.col("`" + k + "`"));
    }
    cols.add(df.col("`" + featuresCol + "`"));
    Dataset<Row> in = df.select(cols.toArray(new Column[0]));
    StructType kept = new StructType(java.util.Arrays.copyOf(in.schema().fields(), keep.size()));
    StructType schema = scores(kept, model.value());
    int n = keep.size();
    RowScoring.Columns at = new RowScoring.Columns(n, n, schema.size(), -1,
        model.value().numClasses() > 0 ? n + 1 : -1, n, true, false);
    write(in.mapPartitions(new RowScoring(model, at, null), Encoders.row(schema)), out,
        overwrite);
  }

  /**
   * Scores the checked rows of a file data set and writes them numbered.
   *
   * @param rowsBefore per partition of {@code blocks}, the number of its first row
   */
  public static void writeRows(SparkSession spark, JavaRDD<Block> blocks, long[] rowsBefore,
      Broadcast<TrainedModel> model, String out, boolean overwrite) {
    StructType schema = scores(new StructType().add("row", DataTypes.LongType, false),
        model.value());
    JavaRDD<Row> rows = blocks.mapPartitionsWithIndex((partition, it) ->
        numbered(model.value(), rowsBefore[partition], it), true);
    write(spark.createDataFrame(rows, schema), out, overwrite);
  }

  private static Iterator<Row> numbered(TrainedModel m, long first, Iterator<Block> blocks) {
    return new Iterator<>() {
      private long next = first;
      private Iterator<Row> ready = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!ready.hasNext() && blocks.hasNext()) {
          ready = score(blocks.next()).iterator();
        }
        return ready.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.next();
      }

      private List<Row> score(Block b) {
        TrainedModel.Scores s = m.score(b);
        List<Row> out = new ArrayList<>(s.rows());
        for (int i = 0; i < s.rows(); i++) {
          if (s.classes() > 0) {
            double[] p = new double[s.classes()];
            for (int j = 0; j < p.length; j++) {
              p[j] = s.probability()[i * p.length + j];
            }
            out.add(RowFactory.create(next++, s.prediction()[i], p));
          } else {
            out.add(RowFactory.create(next++, s.prediction()[i]));
          }
        }
        return out;
      }
    };
  }

  private static void write(Dataset<Row> rows, String out, boolean overwrite) {
    rows.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(out);
  }

  /** The names in {@code keep} that {@code df} has no column of. */
  public static List<String> missing(Dataset<Row> df, List<String> keep) {
    List<String> names = java.util.Arrays.asList(df.columns());
    List<String> out = new ArrayList<>();
    for (String k : keep) {
      if (!names.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }
}
