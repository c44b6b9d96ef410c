package org.sparkprop.driver.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkprop.core.data.RowSink;
import org.sparkprop.driver.config.DidYouMean;
import org.sparkprop.driver.data.DataError;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.LabelRule;

/**
 * A DataFrame's features and label columns packed into blocks on the executors, one task per
 * DataFrame partition (Parquet and ORC row groups, a table's files), converted once: the hot
 * path never sees a Row. The driver checks the schema only.
 *
 * <p>Features: an ML {@link Vector} column or an array of float/double. A column of sparse
 * vectors (judged by its first row) becomes CSR blocks and is never densified; dense vectors
 * and arrays become dense blocks. Every row must have the same length. A null, NaN or infinite
 * value, a row of another length or a label that does not fit the model stops the reading with
 * the column, the row (its 1-based number in its DataFrame partition, and the partition) and
 * the offending values.
 */
final class TableSource {
  private final SparkSession spark;
  private final String format;
  private final String featuresCol;
  private final String labelCol;
  private final String weightCol;

  /** @param labelCol the label column, or null to read none (predicting) */
  TableSource(SparkSession spark, String format, String featuresCol, String labelCol) {
    this(spark, format, featuresCol, labelCol, null);
  }

  /**
   * @param labelCol the label column, or null to read none (predicting)
   * @param weightCol the row weights' column, or null (or "") for none
   */
  TableSource(SparkSession spark, String format, String featuresCol, String labelCol,
      String weightCol) {
    this.spark = spark;
    this.format = format;
    this.featuresCol = featuresCol;
    this.labelCol = labelCol;
    this.weightCol = weightCol == null || weightCol.isEmpty() ? null : weightCol;
  }

  /**
   * The DataFrame that {@code location} names: a Parquet/ORC path, or a table name. Spark packs
   * small files together into one partition by their sizes; opening a file is made to cost a
   * whole partition, so that each partition is one split of one file and the row order does not
   * depend on how files' sizes compare.
   */
  Dataset<Row> frame(String location) {
    spark.conf().set("spark.sql.files.openCostInBytes",
        spark.conf().get("spark.sql.files.maxPartitionBytes", "134217728"));
    try {
      switch (format) {
        case "parquet":
          return spark.read().parquet(location);
        case "orc":
          return spark.read().orc(location);
        default:
          return spark.table(location);
      }
    } catch (Exception e) { // AnalysisException: a missing path or table
      String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst()
          .orElse("");
      throw new DataFileException(location, -1, -1, null, "cannot be read as " + format
          + ": " + m);
    }
  }

  /** Whether the features column holds sparse vectors (its first row's vector is sparse). */
  boolean sparse(Dataset<Row> df) {
    DataType t = df.schema().apply(featuresCol).dataType();
    if (!(t instanceof VectorUDT) && !isVectorStruct(t)) {
      return false;
    }
    List<Boolean> first = df.select(featuresCol).where(functions.col(featuresCol).isNotNull())
        .limit(1).javaRDD().map(r -> VectorRows.of(r.get(0)) instanceof SparseVector).collect();
    return !first.isEmpty() && first.get(0);
  }

  /** An ML vector as ORC stores it (its SQL type; ORC does not keep the UDT). */
  static boolean isVectorStruct(DataType t) {
    return t.catalogString().equals(new VectorUDT().sqlType().catalogString());
  }

  /**
   * The blocks of {@code df}, read by the executors.
   *
   * @throws DataFileException naming the column for a missing column or a wrong type
   */
  JavaRDD<SourceBlock> read(Dataset<Row> df, String location, LabelRule rule, int blockRows,
      double testFraction, long seed) {
    check(df, location);
    boolean sparse = sparse(df);
    JavaRDD<Row> rows = df.select(functions.col(featuresCol), labelCol == null
        ? functions.lit(0.0) : functions.col(labelCol).cast("double"), weightCol == null
        ? functions.lit(1.0) : functions.col(weightCol).cast("double")).javaRDD();
    RowReader reader = new RowReader(location, featuresCol, labelCol, weightCol, rule, blockRows,
        sparse, testFraction, seed, FileSplits.keys(rows.rdd()));
    return rows.mapPartitionsWithIndex(reader::read, true);
  }

  /**
   * Checks the features and label columns' presence and types.
   *
   * @throws DataFileException naming the column and saying what is wrong
   */
  void check(Dataset<Row> df, String location) {
    check(df.schema(), featuresCol, location, "the features", "features_col");
    if (labelCol != null) {
      check(df.schema(), labelCol, location, "the label", "label_col");
    }
    if (weightCol != null) {
      check(df.schema(), weightCol, location, "the row weights", "weight_col");
    }
  }

  private static void check(StructType schema, String column, String location, String what,
      String key) {
    boolean features = key.equals("features_col");
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new DataFileException(location, -1, -1, null, "has no column '" + column + "' for "
          + what + " (data." + key + ")"
          + DidYouMean.hint(column, Arrays.asList(schema.fieldNames())) + "; its columns: "
          + String.join(", ", schema.fieldNames()));
    }
    DataType t = schema.apply(column).dataType();
    boolean ok = features ? t instanceof VectorUDT || isVectorStruct(t) || (t instanceof ArrayType
        && (((ArrayType) t).elementType().equals(DataTypes.FloatType)
        || ((ArrayType) t).elementType().equals(DataTypes.DoubleType)))
        : t instanceof NumericType;
    if (!ok) {
      throw new DataFileException(location, -1, -1, null, "column '" + column + "' is "
          + t.simpleString() + ": " + what + " must be " + (features
          ? "an ML Vector (e.g. from VectorAssembler) or an array of float or double"
          : key.equals("label_col") ? "a number (index string labels with StringIndexer first)"
          : "a number"));
    }
  }

  /** Converts one DataFrame partition into blocks, on an executor. */
  static final class RowReader implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String location;
    private final String featuresCol;
    private final String labelCol;
    private final String weightCol;
    private final LabelRule rule;
    private final int blockRows;
    private final boolean sparse;
    private final double testFraction;
    private final long seed;
    private final long[] splitKeys;

    /**
     * @param splitKeys per partition, a key of its file split (the held-out split keys on it
     *     and the row's position, not on the partition's index), or null
     */
    RowReader(String location, String featuresCol, String labelCol, String weightCol,
        LabelRule rule, int blockRows, boolean sparse, double testFraction, long seed,
        long[] splitKeys) {
      this.location = location;
      this.featuresCol = featuresCol;
      this.labelCol = labelCol;
      this.weightCol = weightCol;
      this.rule = rule;
      this.blockRows = blockRows;
      this.sparse = sparse;
      this.testFraction = testFraction;
      this.seed = seed;
      this.splitKeys = splitKeys;
    }

    Iterator<SourceBlock> read(int partition, Iterator<Row> rows) {
      List<SourceBlock> out = new ArrayList<>();
      RowSink train = null;
      RowSink test = null;
      long row = 0;
      int width = -1;
      float[] dense = null;
      while (rows.hasNext()) {
        Row r = rows.next();
        row++;
        String where = String.format(Locale.ROOT, "row %d of partition %d", row, partition);
        if (r.isNullAt(0) || r.isNullAt(1) || r.isNullAt(2)) {
          return error(out, where, (r.isNullAt(0) ? featuresCol : r.isNullAt(1) ? labelCol
              : weightCol) + " is null");
        }
        Object f = VectorRows.of(r.get(0));
        int size = f instanceof Vector ? ((Vector) f).size() : r.getList(0).size();
        if (width < 0) {
          width = size;
          train = sparse ? RowSink.sparse(width) : RowSink.dense(width);
          test = sparse ? RowSink.sparse(width) : RowSink.dense(width);
          dense = new float[width];
        } else if (size != width) {
          return error(out, where, featuresCol + " has " + size + " values, the rows before it "
              + width + ": every row needs the same length");
        }
        double label = r.getDouble(1);
        String labelProblem = rule.problem((float) label);
        if (labelProblem != null) {
          return error(out, where, labelCol + ": " + labelProblem);
        }
        double weight = r.getDouble(2);
        if (!(weight >= 0) || Double.isInfinite(weight)) {
          return error(out, where, weightCol + " is " + weight + ": a row weight must be a "
              + "finite number >= 0");
        }
        boolean isTest = testFraction > 0 && TextParsing.uniform(seed,
            splitKeys == null ? partition : splitKeys[partition], row) < testFraction;
        RowSink sink = isTest ? test : train;
        float w = weightCol == null ? Float.NaN : (float) weight; // NaN: no weights
        String bad = sparse ? addSparse(sink, f, width, rule.apply((float) label), w)
            : addDense(sink, f, r, dense, rule.apply((float) label), w);
        if (bad != null) {
          return error(out, where, featuresCol + " " + bad);
        }
        if (sink.numRows() == blockRows) {
          out.add(new SourceBlock(isTest, sink.finish()));
        }
      }
      if (train != null && train.numRows() > 0) {
        out.add(new SourceBlock(false, train.finish()));
      }
      if (test != null && test.numRows() > 0) {
        out.add(new SourceBlock(true, test.finish()));
      }
      return out.iterator();
    }

    /** Adds a dense row; the problem with its values, or null. */
    private static String addDense(RowSink sink, Object f, Row r, float[] x, float label,
        float weight) {
      if (f instanceof DenseVector) {
        double[] v = ((DenseVector) f).values();
        for (int i = 0; i < x.length; i++) {
          if (!Double.isFinite(v[i])) {
            return "has " + v[i] + " at index " + i;
          }
          x[i] = (float) v[i];
        }
      } else if (f instanceof SparseVector) {
        SparseVector v = (SparseVector) f;
        java.util.Arrays.fill(x, 0f);
        for (int k = 0; k < v.indices().length; k++) {
          double value = v.values()[k];
          if (!Double.isFinite(value)) {
            return "has " + value + " at index " + v.indices()[k];
          }
          x[v.indices()[k]] = (float) value;
        }
      } else {
        List<Object> values = r.getList(0);
        for (int i = 0; i < x.length; i++) {
          Object o = values.get(i);
          if (o == null) {
            return "has null at index " + i;
          }
          double d = ((Number) o).doubleValue();
          if (!Double.isFinite(d)) {
            return "has " + d + " at index " + i;
          }
          x[i] = (float) d;
        }
      }
      if (Float.isNaN(weight)) {
        sink.addDense(x, label);
      } else {
        sink.addDense(x, label, weight);
      }
      return null;
    }

    /** Adds a sparse row (CSR, as stored); the problem with its values, or null. */
    private static String addSparse(RowSink sink, Object f, int width, float label,
        float weight) {
      SparseVector v = f instanceof SparseVector ? (SparseVector) f
          : ((Vector) f).toSparse();
      int[] idx = v.indices();
      double[] val = v.values();
      float[] values = new float[val.length];
      for (int k = 0; k < val.length; k++) {
        if (!Double.isFinite(val[k])) {
          return "has " + val[k] + " at index " + idx[k];
        }
        values[k] = (float) val[k];
      }
      if (Float.isNaN(weight)) {
        sink.addSparse(idx, values, idx.length, label);
      } else {
        sink.addSparse(idx, values, idx.length, label, weight);
      }
      return null;
    }

    private Iterator<SourceBlock> error(List<SourceBlock> out, String where, String problem) {
      out.clear();
      out.add(SourceBlock.error(new DataError(location, -1, -1, -1, -1, null, where + ": "
          + problem, "fix or drop the row")));
      return out.iterator();
    }
  }
}
