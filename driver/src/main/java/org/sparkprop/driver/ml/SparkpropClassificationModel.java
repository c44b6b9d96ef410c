package org.sparkprop.driver.ml;

import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparkprop.core.data.RowSink;
import org.sparkprop.core.model.OutputLoss;
import org.sparkprop.driver.predict.RowScoring;
import org.sparkprop.driver.predict.TrainedModel;

/**
 * A fitted {@link SparkpropClassifier}: {@code transform} adds Spark ML's {@code rawPrediction}
 * (the logits), {@code probability} and {@code prediction} (the class index) columns, scoring
 * each partition in batches on the executors with a broadcast model. Saves as Spark's params
 * metadata plus sparkprop's model file ({@link ModelIO}), so a {@code PipelineModel} holding it
 * saves and loads.
 */
public final class SparkpropClassificationModel
    extends ProbabilisticClassificationModel<Vector, SparkpropClassificationModel>
    implements HasTrainingParams<SparkpropClassificationModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final TrainingParams params;
  private final TrainedModel model;
  private final transient TrainingSummary summary;
  private final StringArrayParam labelNames;

  SparkpropClassificationModel(String uid, TrainedModel model, TrainingSummary summary) {
    this(Uids.stash(uid), model, summary);
  }

  private SparkpropClassificationModel(Void stashed, TrainedModel model,
      TrainingSummary summary) {
    super();
    uid();
    this.params = new TrainingParams(this, "mlp", "softmax_regression", "logistic_regression");
    this.model = model;
    this.summary = summary;
    this.labelNames = new StringArrayParam(this, "labelNames", "the classes' names from the "
        + "training label column's metadata (e.g. StringIndexer's labels), in class order, kept "
        + "on the prediction column so that IndexToString maps predictions back; empty: none");
    setDefault(labelNames, new String[0]);
  }

  /** The classes' names (see the param's documentation). */
  public StringArrayParam labelNames() {
    return labelNames;
  }

  public String[] getLabelNames() {
    return getOrDefault(labelNames);
  }

  public SparkpropClassificationModel setLabelNames(String... names) {
    set(labelNames, names);
    return this;
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

  /** The parameters and architecture (for a warm start, export, or the CLI). */
  public TrainedModel trainedModel() {
    return model;
  }

  /** Whether the training summary is there (a loaded model has none). */
  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * The fit's loss per step and held-out metrics per epoch.
   *
   * @throws IllegalStateException for a model that was loaded rather than fitted
   */
  public TrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException(uid() + " was loaded, not fitted: it has no summary");
    }
    return summary;
  }

  @Override
  public int numClasses() {
    return model.numClasses();
  }

  @Override
  public int numFeatures() {
    return model.spec().inputDim();
  }

  @Override
  public Vector predictRaw(Vector features) {
    return Vectors.dense(toDoubles(score(features).raw()));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    double[] v = ((DenseVector) raw).values();
    if (model.spec().loss() == OutputLoss.BINARY_CROSS_ENTROPY) {
      double p = 1 / (1 + Math.exp(-v[1])); // raw is [-z, z]
      v[0] = 1 - p;
      v[1] = p;
      return raw;
    }
    double max = Arrays.stream(v).max().orElse(0);
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.exp(v[i] - max);
      sum += v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= sum;
    }
    return raw;
  }

  private TrainedModel.Scores score(Vector features) {
    RowSink sink = RowSink.dense(numFeatures());
    double[] a = features.toArray();
    float[] x = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      x[i] = (float) a[i];
    }
    sink.addDense(x, 0f);
    return model.score(sink.finish());
  }

  private static double[] toDoubles(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** Scores whole partitions at once (one forward pass per batch of rows), on the executors. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Dataset<Row> in = dataset.toDF();
    String raw = getRawPredictionCol();
    String prob = getProbabilityCol();
    String pred = getPredictionCol();
    if (raw.isEmpty() && prob.isEmpty() && pred.isEmpty()) {
      return in;
    }
    double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
    if (thresholds != null && thresholds.length != numClasses()) {
      throw new IllegalArgumentException(uid() + ": " + thresholds.length + " thresholds for "
          + numClasses() + " classes");
    }
    Broadcast<TrainedModel> bc = JavaSparkContext.fromSparkContext(
        in.sparkSession().sparkContext()).broadcast(model);
    RowScoring.Columns at = new RowScoring.Columns(in.schema().fieldIndex(getFeaturesCol()),
        in.schema().size(), out.size(), raw.isEmpty() ? -1 : out.fieldIndex(raw),
        prob.isEmpty() ? -1 : out.fieldIndex(prob), pred.isEmpty() ? -1 : out.fieldIndex(pred), false, true);
    Dataset<Row> scored = in.mapPartitions(new RowScoring(bc, at, thresholds),
        Encoders.row(out));
    String[] names = getLabelNames();
    return scored.select(Arrays.stream(out.fields())
        .map(f -> scored.col("`" + f.name() + "`").as(f.name(),
            f.name().equals(pred) && names.length == numClasses()
                ? NominalAttribute.defaultAttr().withName(pred).withValues(names).toMetadata()
                : f.metadata()))
        .toArray(Column[]::new));
  }

  /**
   * Spark's summaries (binary/multiclass metrics of a classifier it fits itself) do not apply;
   * declared because Java sees this method twice, in two Spark base classes.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public SparkpropClassificationModel copy(ParamMap extra) {
    return copyValues(new SparkpropClassificationModel(uid(), model, summary), extra)
        .setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelIO.save(SparkpropClassificationModel.this, model, path, sc());
      }
    };
  }

  public static MLReader<SparkpropClassificationModel> read() {
    return new MLReader<>() {
      @Override
      public SparkpropClassificationModel load(String path) {
        ModelIO.Loaded l = ModelIO.load(path, sc(), SparkpropClassificationModel.class);
        SparkpropClassificationModel m = new SparkpropClassificationModel(l.metadata().uid(),
            l.model(), null);
        l.metadata().getAndSetParams(m, scala.Option.empty());
        return m;
      }
    };
  }

  public static SparkpropClassificationModel load(String path) {
    return read().load(path);
  }
}
