package org.sparkprop.driver.ml;

import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A sparkprop regressor as a Spark ML estimator: an MLP with a mean-squared-error output (or
 * linear regression) trained by the same trainer as {@code sparkprop train}. Params: {@link
 * HasTrainingParams}.
 */
public final class SparkpropRegressor
    extends Predictor<Vector, SparkpropRegressor, SparkpropRegressionModel>
    implements HasTrainingParams<SparkpropRegressor>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final TrainingParams params;
  private SparkpropRegressionModel initialModel;

  public SparkpropRegressor() {
    this(Uids.stash(org.apache.spark.ml.util.Identifiable.randomUID("sparkpropRegressor")));
  }

  /** With a given uid (Spark's copy and load use this). */
  public SparkpropRegressor(String uid) {
    this(Uids.stash(uid));
  }

  private SparkpropRegressor(Void stashed) {
    super();
    uid();
    params = new TrainingParams(this, "mlp", "linear_regression");
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sparkpropRegressor");
    }
    return uid;
  }

  @Override
  public TrainingParams trainingParams() {
    return params;
  }

  /** Starts every fit from {@code model}'s parameters (same architecture) instead of anew. */
  public SparkpropRegressor setInitialModel(SparkpropRegressionModel model) {
    this.initialModel = model;
    return this;
  }

  public SparkpropRegressionModel getInitialModel() {
    return initialModel;
  }

  @Override
  public SparkpropRegressionModel train(Dataset<?> dataset) {
    Fitting.Fitted f = Fitting.fit(dataset, this, params, getFeaturesCol(), getLabelCol(), 0,
        initialModel == null ? null : initialModel.trainedModel());
    return new SparkpropRegressionModel(uid(), f.model(), f.summary());
  }

  @Override
  public SparkpropRegressor copy(ParamMap extra) {
    SparkpropRegressor c = defaultCopy(extra);
    c.initialModel = initialModel;
    return c;
  }

  public static MLReader<SparkpropRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static SparkpropRegressor load(String path) {
    return read().load(path);
  }
}
