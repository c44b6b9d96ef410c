package org.sparkprop.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
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
import org.sparkprop.driver.cli.TrainCommand;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;
import scala.collection.JavaConverters;

/** sparkprop in Spark ML: params, Pipelines, tuning, persistence, warm start, determinism. */
class SparkMlTest extends SparkTestBase {
  @TempDir Path dir;
  SparkSession spark;

  @BeforeEach
  void session() {
    spark = SparkSession.builder().sparkContext(jsc().sc()).getOrCreate();
  }

  /** Columns a..f (doubles, in scales from 1 to 100) and label = argmax of a', b', c'. */
  Dataset<Row> table(int n, long seed) {
    Random r = new Random(seed);
    StructType schema = new StructType();
    for (String c : new String[] {"a", "b", "c", "d", "e", "f"}) {
      schema = schema.add(c, DataTypes.DoubleType);
    }
    schema = schema.add("label", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[6];
      for (int j = 0; j < 6; j++) {
        x[j] = r.nextGaussian();
      }
      int y = x[0] > x[1] ? (x[0] > x[2] ? 0 : 2) : (x[1] > x[2] ? 1 : 2);
      rows.add(RowFactory.create(100 * x[0], x[1], 10 * x[2], x[3], 5 * x[4] + 3, x[5], (double) y));
    }
    return spark.createDataFrame(jsc().parallelize(rows, 2), schema);
  }

  static VectorAssembler assembler() {
    return new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d", "e", "f"})
        .setOutputCol("raw");
  }

  static StandardScaler scaler() {
    return new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
  }

  SparkpropClassifier classifier() {
    return new SparkpropClassifier().setHiddenLayers(16).setEpochs(4).setBatchSize(64)
        .setLearningRate(0.02).setNumPartitions(2).setSeed(5);
  }

  @Test
  void explainParamsDocumentsEveryParamWithItsDefault() {
    String text = new SparkpropClassifier().explainParams();
    for (String s : new String[] {"hiddenLayers: model.hidden", "learningRate: optimizer.lr",
        "(default: 0.001)", "exchange: exchange", "configOverrides", "featuresCol",
        "probabilityCol", "modelType: model.type: one of mlp, softmax_regression"}) {
      assertTrue(text.contains(s), s + " in\n" + text);
    }
  }

  @Test
  void copyCarriesEveryParamAndTheWarmStart() {
    SparkpropClassifier c = new SparkpropClassifier().setModelType("softmax_regression")
        .setHiddenLayers(7, 3).setActivation("tanh").setOptimizer("sgd").setLearningRate(0.3)
        .setEpochs(2.5).setBatchSize(33).setSeed(9).setExchange("sign-ef").setNumPartitions(3)
        .setBlockRows(100).setValidationFraction(0.25).setConfigOverrides("optimizer.momentum=0.5")
        .setWeightCol("w")
        .setFeaturesCol("f").setLabelCol("l").setProbabilityCol("p");
    c.setPredictionCol("yhat");
    c.setInitialModel(null);
    SparkpropClassifier copy = c.copy(new ParamMap().put(c.batchSize(), 44));
    assertEquals(c.uid(), copy.uid());
    for (Param<?> p : c.params()) {
      if (!c.isDefined(p)) {
        assertFalse(copy.isDefined(copy.getParam(p.name())), p.name());
        continue;
      }
      Object expected = p.name().equals("batchSize") ? 44 : c.getOrDefault(p);
      assertTrue(Objects.deepEquals(expected, copy.getOrDefault(copy.getParam(p.name()))),
          p.name());
    }
    assertEquals(c.params().length, copy.params().length);
  }

  @Test
  void aPipelineFitsSavesLoadsAndPredictsTheSame() throws Exception {
    Dataset<Row> train = table(3000, 1);
    Dataset<Row> test = table(500, 2);
    SparkpropClassifier clf = classifier().setValidationFraction(0.1);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler(), scaler(), clf});
    PipelineModel model = pipeline.fit(train);
    Dataset<Row> scored = model.transform(test);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(scored);
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    for (String c : new String[] {"rawPrediction", "probability", "prediction"}) {
      assertTrue(List.of(scored.columns()).contains(c), c);
    }
    SparkpropClassificationModel fitted = (SparkpropClassificationModel) model.stages()[2];
    TrainingSummary summary = fitted.summary();
    assertEquals(summary.steps().length, summary.lossHistory().length);
    assertTrue(summary.steps().length > 100, "a loss per step");
    assertEquals(4, summary.evaluationEpochs().length, "an evaluation per epoch");
    assertEquals("accuracy", summary.evaluationMetricName());

    String path = dir.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    assertTrue(Files.isRegularFile(dir.resolve("pipeline/stages/2_" + clf.uid()
        + "/data/model.sprp")));
    PipelineModel loaded = PipelineModel.load(path);
    List<Row> a = scored.select("prediction", "probability").collectAsList();
    List<Row> b = loaded.transform(test).select("prediction", "probability").collectAsList();
    assertEquals(a, b, "the loaded pipeline predicts the same");
    SparkpropClassificationModel reloaded = (SparkpropClassificationModel) loaded.stages()[2];
    assertFalse(reloaded.hasSummary());
    assertEquals(16, reloaded.getHiddenLayers()[0]);
    assertEquals(0.02, reloaded.getLearningRate());
  }

  @Test
  void singleRowPredictionMatchesTheBatchedTransform() {
    Dataset<Row> data = scaler().fit(assembler().transform(table(800, 3)))
        .transform(assembler().transform(table(800, 3)));
    SparkpropClassificationModel m = classifier().setEpochs(1).fit(data);
    Row first = m.transform(data).select("features", "probability", "prediction").first();
    Vector p = m.predictProbability((Vector) first.get(0));
    assertArrayEquals(((Vector) first.get(1)).toArray(), p.toArray(), 1e-7);
    assertEquals(first.getDouble(2), m.predict((Vector) first.get(0)));
  }

  @Test
  void crossValidatorPicksALearningRateAndTheBestModelHasIt() {
    Dataset<Row> data = new Pipeline().setStages(new PipelineStage[] {assembler(), scaler()})
        .fit(table(1500, 4)).transform(table(1500, 4));
    SparkpropClassifier clf = classifier().setEpochs(1);
    ParamMap[] grid = new ParamGridBuilder().addGrid(clf.learningRate(),
        new double[] {1e-5, 0.05}).build();
    MulticlassClassificationEvaluator eval = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");
    CrossValidatorModel cv = new CrossValidator().setEstimator(clf).setEstimatorParamMaps(grid)
        .setEvaluator(eval).setNumFolds(2).setSeed(3).fit(data);
    double[] avg = cv.avgMetrics();
    int best = avg[1] > avg[0] ? 1 : 0;
    assertEquals(1, best, "0.05 learns in one epoch, 1e-5 does not: " + avg[0] + " vs "
        + avg[1]);
    SparkpropClassificationModel bm = (SparkpropClassificationModel) cv.bestModel();
    for (ParamPair<?> pp : JavaConverters.seqAsJavaListConverter(
        cv.getEstimatorParamMaps()[best].toSeq()).asJava()) {
      assertTrue(Objects.deepEquals(pp.value(), bm.getOrDefault(bm.getParam(pp.param().name()))),
          pp.param().name());
    }
    assertEquals(0.05, bm.getLearningRate());

    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(clf)
        .setEstimatorParamMaps(grid).setEvaluator(eval).setTrainRatio(0.7).setSeed(3).fit(data);
    assertEquals(0.05, ((SparkpropClassificationModel) tvs.bestModel()).getLearningRate());
  }

  @Test
  void aWeightColumnScalesEachRowsGradient() {
    Dataset<Row> data = new Pipeline().setStages(new PipelineStage[] {assembler(), scaler()})
        .fit(table(1000, 6)).transform(table(1000, 6))
        .withColumn("two", org.apache.spark.sql.functions.lit(2.0));
    SparkpropClassifier sgd = classifier().setOptimizer("sgd").setEpochs(1);
    float[] plain = sgd.fit(data).trainedModel().params();
    float[] weighted = classifier().setOptimizer("sgd").setEpochs(1).setLearningRate(0.01)
        .setWeightCol("two").fit(data).trainedModel().params();
    org.junit.jupiter.api.Assertions.assertArrayEquals(plain, weighted,
        "weights of 2 under SGD: the learning rate doubled, bit for bit");
  }

  @Test
  void aWarmStartContinuesFromTheInitialModel() {
    Dataset<Row> data = new Pipeline().setStages(new PipelineStage[] {assembler(), scaler()})
        .fit(table(2000, 5)).transform(table(2000, 5));
    SparkpropClassificationModel first = classifier().fit(data);
    double[] firstLoss = first.summary().lossHistory();
    SparkpropClassificationModel warm = classifier().setEpochs(0.2).setInitialModel(first)
        .fit(data);
    double[] warmLoss = warm.summary().lossHistory();
    double end = firstLoss[firstLoss.length - 1];
    assertTrue(warmLoss[0] < 0.5 * firstLoss[0] && Math.abs(warmLoss[0] - end) < 0.5 * end + 0.05,
        "warm start begins near " + end + ": " + warmLoss[0] + " (fresh began at "
            + firstLoss[0] + ")");
    SparkpropClassifier other = classifier().setHiddenLayers(8).setInitialModel(first);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> other.fit(data));
    assertTrue(e.getMessage().contains("the initial model is mlp 6-16-3"), e.getMessage());
  }

  @Test
  void aFitGivesTheCliRunsBitsOnTheSameTable() throws Exception {
    Dataset<Row> data = new Pipeline().setStages(new PipelineStage[] {assembler(), scaler()})
        .fit(table(1200, 6)).transform(table(1200, 6)).select("features", "label");
    Path parquet = dir.resolve("t.parquet");
    data.coalesce(1).write().parquet(parquet.toString());
    SparkpropClassificationModel fitted = classifier().setEpochs(2)
        .fit(spark.read().parquet(parquet.toString()));
    SparkpropClassificationModel again = classifier().setEpochs(2)
        .fit(spark.read().parquet(parquet.toString()));
    assertArrayEquals(fitted.trainedModel().params(), again.trainedModel().params(),
        "two fits, the same bits");

    assertArrayEquals(cliRun(parquet, "", "cli"), fitted.trainedModel().params(),
        "fit and CLI, the same bits");
  }

  /**
   * A sign mode in a fit: sign-ef (the residuals live on the executors between steps) gives the
   * CLI run's bits, twice, and learns; a copy of the estimator with its initial model warm
   * starts exactly as the original does.
   */
  @Test
  void aSignModeFitAndACopiedWarmStartGiveTheCliRunsBits() throws Exception {
    Dataset<Row> data = new Pipeline().setStages(new PipelineStage[] {assembler(), scaler()})
        .fit(table(1200, 8)).transform(table(1200, 8)).select("features", "label");
    Path parquet = dir.resolve("s.parquet");
    data.coalesce(1).write().parquet(parquet.toString());
    SparkpropClassifier sign = classifier().setEpochs(2).setExchange("sign-ef");
    SparkpropClassificationModel fitted = sign.fit(spark.read().parquet(parquet.toString()));
    SparkpropClassificationModel again = sign.fit(spark.read().parquet(parquet.toString()));
    assertArrayEquals(fitted.trainedModel().params(), again.trainedModel().params(),
        "two sign-ef fits, the same bits");
    assertArrayEquals(cliRun(parquet, "exchange = sign-ef\n", "sign"),
        fitted.trainedModel().params(), "sign-ef fit and CLI, the same bits");
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(fitted.transform(data));
    assertTrue(accuracy > 0.8, "sign-ef learns: accuracy " + accuracy);

    SparkpropClassifier warm = classifier().setEpochs(0.5).setInitialModel(fitted);
    SparkpropClassifier copied = warm.copy(new ParamMap());
    assertSame(fitted, copied.getInitialModel(), "the copy keeps the initial model");
    assertArrayEquals(warm.fit(data).trainedModel().params(),
        copied.fit(data).trainedModel().params(), "the copy warm starts the same");
  }

  /** The parameters of a CLI run (classifier()'s settings, 2 epochs, plus {@code extra}). */
  private float[] cliRun(Path parquet, String extra, String name) throws Exception {
    Path runDir = dir.resolve(name);
    int code = TrainCommand.train(jsc(), TestFiles.config("data { format = parquet, train = \""
        + parquet + "\", partitions = 2, labels = index }\n"
        + "model { type = mlp, hidden = [16], outputs = 3 }\n"
        + "train { epochs = 2, batch_size = 64 }\noptimizer { name = adam, lr = 0.02 }\n"
        + "run.seed = 5\n" + extra), runDir.toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    return ModelFile.decode(Files.readAllBytes(runDir.resolve(RunDirectory.MODEL)), "m")
        .params();
  }

  @Test
  void aRegressorLearnsALinearFunctionAndSavesAndLoads() throws Exception {
    Random r = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      double x1 = r.nextGaussian();
      double x2 = r.nextGaussian();
      rows.add(RowFactory.create(x1, x2, 3 * x1 - 2 * x2 + 1 + 0.05 * r.nextGaussian()));
    }
    StructType schema = new StructType().add("a", DataTypes.DoubleType)
        .add("b", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
    Dataset<Row> data = new VectorAssembler().setInputCols(new String[] {"a", "b"})
        .setOutputCol("features").transform(spark.createDataFrame(jsc().parallelize(rows, 2),
            schema));
    SparkpropRegressionModel m = new SparkpropRegressor().setModelType("linear_regression")
        .setEpochs(5).setBatchSize(32).setLearningRate(0.05).setNumPartitions(2).fit(data);
    double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(m.transform(data));
    assertTrue(rmse < 0.1, "rmse " + rmse);
    String path = dir.resolve("reg").toString();
    m.write().save(path);
    SparkpropRegressionModel loaded = SparkpropRegressionModel.load(path);
    assertEquals(m.transform(data).select("prediction").collectAsList(),
        loaded.transform(data).select("prediction").collectAsList());
    assertNotEquals(0, loaded.trainedModel().params()[0]);
  }
}
