package org.sparkprop.driver.ml;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Row;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.ConfigProblems;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.LabelMap;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.dataset.DatasetLoader;
import org.sparkprop.driver.predict.TrainedModel;
import org.sparkprop.driver.train.Trainer;

/**
 * A Spark ML fit: the params become the same training config the CLI reads (so a fit and a
 * {@code sparkprop train} of the same rows, seed and settings give the same bits), the
 * DataFrame is read like a table, and the same {@link Trainer} runs.
 */
final class Fitting {
  private Fitting() {}

  /** What a fit produces. */
  record Fitted(TrainedModel model, TrainingSummary summary) {}

  /**
   * Trains on {@code dataset}'s features and label columns.
   *
   * @param numClasses the classes of a classifier (labels 0..K-1), 0 for a regressor
   * @param initial parameters to start from (a warm start), or null
   * @throws IllegalArgumentException for a config the params make invalid, or bad rows
   */
  static Fitted fit(org.apache.spark.sql.Dataset<?> dataset, Params owner, TrainingParams tp,
      String featuresCol, String labelCol, int numClasses, TrainedModel initial) {
    List<String> settings = new ArrayList<>();
    settings.add("data.format=table");
    settings.add("data.train=(the DataFrame given to fit)");
    settings.add("data.features_col=" + featuresCol);
    settings.add("data.label_col=" + labelCol);
    settings.add("train.log_every=1");
    settings.add("checkpoint.every_epochs=0");
    settings.add("checkpoint.every_steps=0");
    if (numClasses > 0) {
      settings.add("data.labels=index");
      settings.add("model.outputs=" + numClasses);
      settings.add("model.loss=softmax_cross_entropy");
    } else {
      settings.add("model.outputs=1");
      settings.add("model.loss=mse");
    }
    settings.addAll(tp.settings(owner));
    TrainingConfig config;
    try {
      config = TrainingConfig.from(ConfigLoader.userLayer(null, settings));
    } catch (ConfigProblems e) {
      throw new IllegalArgumentException(owner.uid() + ": " + e.getMessage(), e);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(
        dataset.sparkSession().sparkContext());
    ModelSpec labelRule = config.model().spec(Math.max(1, config.model().inputDim()));
    Dataset data;
    try {
      @SuppressWarnings("unchecked")
      org.apache.spark.sql.Dataset<Row> df = (org.apache.spark.sql.Dataset<Row>) dataset.toDF();
      data = new DatasetLoader(jsc, config.data(), labelRule, config.run().seed()).withFrame(df)
          .load();
    } catch (DataFileException e) {
      throw new IllegalArgumentException(owner.uid() + ": bad input: " + e.getMessage(), e);
    }
    try {
      config = config.withPartitions(data.numPartitions());
      ModelSpec spec = config.model().spec(data.numFeatures());
      float[] params;
      if (initial != null) {
        if (!initial.spec().equals(spec)) {
          throw new IllegalArgumentException(owner.uid() + ": the initial model is "
              + initial.spec().describe() + ", this fit's is " + spec.describe());
        }
        params = initial.params().clone();
      } else {
        params = new float[spec.numParams()];
        new Network(spec).init(params, config.run().seed());
      }
      TrainingSummary summary = new TrainingSummary();
      Trainer trainer = new Trainer(jsc, config, data, spec,
          new PrintStream(OutputStream.nullOutputStream()));
      Trainer.Result result = trainer.run(params, summary.sink());
      LabelMap labels = numClasses > 0 ? LabelMap.index(spec.numClasses()) : null;
      return new Fitted(new TrainedModel(spec, result.params(), labels), summary);
    } catch (ConfigProblems e) {
      throw new IllegalArgumentException(owner.uid() + ": " + e.getMessage(), e);
    } finally {
      data.unpersist();
    }
  }
}
