package org.sparkprop.driver.ml;

import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparkprop.core.data.RowSink;
import org.sparkprop.driver.predict.RowScoring;
import org.sparkprop.driver.predict.TrainedModel;

/**
 * A fitted {@link SparkpropRegressor}: {@code transform} adds the {@code prediction} column,
 * scoring partitions in batches on the executors; saves like {@link
 * SparkpropClassificationModel}.
 */
public final class SparkpropRegressionModel
    extends PredictionModel<Vector, SparkpropRegressionModel>
    implements HasTrainingParams<SparkpropRegressionModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final TrainingParams params;
  private final TrainedModel model;
  private final transient TrainingSummary summary;

  SparkpropRegressionModel(String uid, TrainedModel model, TrainingSummary summary) {
    this(Uids.stash(uid), model, summary);
  }

  private SparkpropRegressionModel(Void stashed, TrainedModel model, TrainingSummary summary) {
    super();
    uid();
    this.params = new TrainingParams(this, "mlp", "linear_regression");
    this.model = model;
    this.summary = summary;
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

  public TrainedModel trainedModel() {
    return model;
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * The fit's loss per step and held-out RMSE per epoch.
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
  public int numFeatures() {
    return model.spec().inputDim();
  }

  @Override
  public double predict(Vector features) {
    RowSink sink = RowSink.dense(numFeatures());
    double[] a = features.toArray();
    float[] x = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      x[i] = (float) a[i];
    }
    sink.addDense(x, 0f);
    return model.score(sink.finish()).prediction()[0];
  }

  /** Scores whole partitions at once, on the executors. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Dataset<Row> in = dataset.toDF();
    if (getPredictionCol().isEmpty()) {
      return in;
    }
    Broadcast<TrainedModel> bc = JavaSparkContext.fromSparkContext(
        in.sparkSession().sparkContext()).broadcast(model);
    RowScoring.Columns at = new RowScoring.Columns(in.schema().fieldIndex(getFeaturesCol()),
        in.schema().size(), out.size(), -1, -1, out.fieldIndex(getPredictionCol()), false,
        true);
    Dataset<Row> scored = in.mapPartitions(new RowScoring(bc, at, null), Encoders.row(out));
    return scored.select(Arrays.stream(out.fields())
        .map(f -> scored.col("`" + f.name() + "`").as(f.name(), f.metadata()))
        .toArray(Column[]::new));
  }

  @Override
  public SparkpropRegressionModel copy(ParamMap extra) {
    return copyValues(new SparkpropRegressionModel(uid(), model, summary), extra)
        .setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelIO.save(SparkpropRegressionModel.this, model, path, sc());
      }
    };
  }

  public static MLReader<SparkpropRegressionModel> read() {
    return new MLReader<>() {
      @Override
      public SparkpropRegressionModel load(String path) {
        ModelIO.Loaded l = ModelIO.load(path, sc(), SparkpropRegressionModel.class);
        SparkpropRegressionModel m = new SparkpropRegressionModel(l.metadata().uid(), l.model(),
            null);
        l.metadata().getAndSetParams(m, scala.Option.empty());
        return m;
      }
    };
  }

  public static SparkpropRegressionModel load(String path) {
    return read().load(path);
  }
}
