package org.sparkprop.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparkprop.driver.SparkTestBase;

/**
 * Spark ML's everyday stages and evaluators run under sparkprop's Spark settings (Kryo with
 * registration required): each aggregates on the executors and ships its buffers, so a class
 * missing from {@link SqlKryoRegistrator} fails a task here.
 */
class SparkMlKryoTest extends SparkTestBase {

  @Test
  void scalersIndexersAndEvaluatorsRun() {
    SparkSession spark = SparkSession.builder().sparkContext(jsc().sc()).getOrCreate();
    Random r = new Random(1);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      rows.add(RowFactory.create(a, b, a > b ? 1.0 : 0.0, a > 0 ? "x" : "y"));
    }
    StructType schema = new StructType().add("a", DataTypes.DoubleType)
        .add("b", DataTypes.DoubleType).add("label", DataTypes.DoubleType)
        .add("cat", DataTypes.StringType);
    Dataset<Row> v = spark.createDataFrame(rows, schema).repartition(2);
    v = new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("raw")
        .transform(v);
    v = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true)
        .fit(v).transform(v);
    v = new MinMaxScaler().setInputCol("raw").setOutputCol("mm").fit(v).transform(v);
    v = new StringIndexer().setInputCol("cat").setOutputCol("ci").fit(v).transform(v);
    v = new OneHotEncoder().setInputCol("ci").setOutputCol("oh").fit(v).transform(v);
    // A perfect classifier: prediction = label, rawPrediction ranks by a - b.
    v = v.withColumn("prediction", v.col("label"))
        .withColumn("rawPrediction", org.apache.spark.ml.functions.array_to_vector(
            functions.array(functions.col("b").minus(functions.col("a")),
                functions.col("a").minus(functions.col("b")))))
        .withColumn("probability", org.apache.spark.ml.functions.array_to_vector(
            functions.array(functions.lit(1.0).minus(functions.col("label")),
                functions.col("label"))));
    assertEquals(0.0, new RegressionEvaluator().setMetricName("rmse").evaluate(v));
    assertEquals(1.0, new RegressionEvaluator().setMetricName("r2").evaluate(v));
    assertEquals(0.0, new RegressionEvaluator().setMetricName("mae").evaluate(v));
    for (String m : new String[] {"accuracy", "f1", "weightedPrecision", "weightedRecall"}) {
      assertEquals(1.0, new MulticlassClassificationEvaluator().setMetricName(m).evaluate(v), m);
    }
    assertEquals(0.0, new MulticlassClassificationEvaluator().setMetricName("logLoss")
        .evaluate(v), 1e-9);
    assertEquals(1.0, new BinaryClassificationEvaluator().setMetricName("areaUnderROC")
        .evaluate(v));
    assertEquals(2, v.groupBy("ci").count().count());
  }
}
