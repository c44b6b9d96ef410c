package org.sparkprop.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.SparkTestBase;

/**
 * String labels the Spark ML way: StringIndexer indexes them, the fitted classifier keeps the
 * names from the label column's metadata and puts them on its prediction column, so that
 * IndexToString (with no labels given) turns predictions back into the data's own labels, also
 * after the PipelineModel is saved and loaded.
 */
class LabelNamesTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void predictionsComeBackAsTheDatasOwnLabels() throws Exception {
    SparkSession spark = SparkSession.builder().sparkContext(jsc().sc()).getOrCreate();
    String[] animals = {"cat", "dog", "fish"};
    Random r = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      double c = r.nextGaussian();
      int y = a > b ? (a > c ? 0 : 2) : (b > c ? 1 : 2);
      rows.add(RowFactory.create(a, b, c, animals[y]));
    }
    StructType schema = new StructType().add("a", DataTypes.DoubleType)
        .add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType)
        .add("animal", DataTypes.StringType);
    Dataset<Row> data = spark.createDataFrame(jsc().parallelize(rows, 2), schema);
    StringIndexer indexer = new StringIndexer().setInputCol("animal").setOutputCol("label")
        .setStringOrderType("alphabetDesc"); // fish, dog, cat: not the order they were drawn in
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {indexer,
        new VectorAssembler().setInputCols(new String[] {"a", "b", "c"})
            .setOutputCol("features"),
        new SparkpropClassifier().setHiddenLayers(8).setEpochs(3).setBatchSize(64)
            .setLearningRate(0.02).setNumPartitions(2),
        new IndexToString().setInputCol("prediction").setOutputCol("predicted")});
    PipelineModel model = pipeline.fit(data);
    assertArrayEquals(new String[] {"fish", "dog", "cat"},
        ((StringIndexerModel) model.stages()[0]).labelsArray()[0]);
    assertArrayEquals(new String[] {"fish", "dog", "cat"},
        ((SparkpropClassificationModel) model.stages()[2]).getLabelNames());
    Dataset<Row> scored = model.transform(data);
    long right = scored.where("predicted = animal").count();
    assertTrue(right > 0.9 * 1500, "predicted in the data's labels: " + right + " of 1500 right");

    String path = dir.resolve("model").toString();
    model.write().overwrite().save(path);
    List<Row> again = PipelineModel.load(path).transform(data).select("predicted")
        .collectAsList();
    assertEquals(scored.select("predicted").collectAsList(), again, "the same after loading");
  }
}
