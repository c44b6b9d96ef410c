package org.sparkprop.driver.ml;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A sparkprop classifier as a Spark ML estimator: an MLP (or softmax / logistic regression)
 * trained data-parallel by the same trainer as {@code sparkprop train}, with every exchange mode
 * and the same determinism. Labels are the class indices 0..K-1 (Spark ML's convention; index
 * string labels with {@code StringIndexer}); K comes from the label column's metadata or its
 * largest value. Features: an ML vector column, dense or sparse (kept sparse).
 *
 * <pre>{@code
 * Pipeline p = new Pipeline().setStages(new PipelineStage[] {
 *     new VectorAssembler().setInputCols(cols).setOutputCol("raw"),
 *     new StandardScaler().setInputCol("raw").setOutputCol("features"),
 *     new SparkpropClassifier().setHiddenLayers(256).setEpochs(5)});
 * }</pre>
 *
 * <p>Params: {@link HasTrainingParams}. A warm start ({@link #setInitialModel}) is carried by
 * {@link #copy}, not saved with the estimator.
 */
public final class SparkpropClassifier
    extends ProbabilisticClassifier<Vector, SparkpropClassifier, SparkpropClassificationModel>
    implements HasTrainingParams<SparkpropClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final TrainingParams params;
  private SparkpropClassificationModel initialModel;

  public SparkpropClassifier() {
    this(Uids.stash(org.apache.spark.ml.util.Identifiable.randomUID("sparkpropClassifier")));
  }

  /** With a given uid (Spark's copy and load use this). */
  public SparkpropClassifier(String uid) {
    this(Uids.stash(uid));
  }

  private SparkpropClassifier(Void stashed) {
    super();
    uid();
    params = new TrainingParams(this, "mlp", "softmax_regression", "logistic_regression");
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sparkpropClassifier");
    }
    return uid;
  }

  @Override
  public TrainingParams trainingParams() {
    return params;
  }

  /** Starts every fit from {@code model}'s parameters (same architecture) instead of anew. */
  public SparkpropClassifier setInitialModel(SparkpropClassificationModel model) {
    this.initialModel = model;
    return this;
  }

  /** The warm start, or null. */
  public SparkpropClassificationModel getInitialModel() {
    return initialModel;
  }

  @Override
  public SparkpropClassificationModel train(Dataset<?> dataset) {
    int classes = getNumClasses(dataset, 100_000);
    if ("logistic_regression".equals(getModelType()) && classes != 2) {
      throw new IllegalArgumentException(uid() + ": logistic_regression is for 2 classes, the "
          + "labels have " + classes);
    }
    Fitting.Fitted f = Fitting.fit(dataset, this, params, getFeaturesCol(), getLabelCol(),
        classes, initialModel == null ? null : initialModel.trainedModel());
    SparkpropClassificationModel m = new SparkpropClassificationModel(uid(), f.model(),
        f.summary());
    String[] names = labelNames(dataset.schema().apply(getLabelCol()), classes);
    return names == null ? m : m.setLabelNames(names);
  }

  /** The classes' names in the label column's metadata (StringIndexer writes them), or null. */
  private static String[] labelNames(org.apache.spark.sql.types.StructField label, int classes) {
    org.apache.spark.ml.attribute.Attribute a =
        org.apache.spark.ml.attribute.Attribute.fromStructField(label);
    scala.Option<String[]> values = a instanceof org.apache.spark.ml.attribute.NominalAttribute
        ? ((org.apache.spark.ml.attribute.NominalAttribute) a).values()
        : a instanceof org.apache.spark.ml.attribute.BinaryAttribute
        ? ((org.apache.spark.ml.attribute.BinaryAttribute) a).values() : scala.Option.empty();
    return values.isDefined() && values.get().length == classes ? values.get() : null;
  }

  @Override
  public SparkpropClassifier copy(ParamMap extra) {
    SparkpropClassifier c = defaultCopy(extra);
    c.initialModel = initialModel;
    return c;
  }

  public static MLReader<SparkpropClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static SparkpropClassifier load(String path) {
    return read().load(path);
  }
}
