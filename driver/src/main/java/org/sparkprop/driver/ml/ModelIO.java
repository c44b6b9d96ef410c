package org.sparkprop.driver.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.predict.TrainedModel;
import scala.Option;

/**
 * A fitted model's directory, as Spark ML lays one out: {@code metadata/} (Spark's params JSON:
 * class, uid, params) and {@code data/model.sprp} (sparkprop's model file: architecture, labels,
 * parameters, checksum). {@code PipelineModel.save/load} go through here for a sparkprop stage.
 */
final class ModelIO {
  /** The model file under a saved model's directory. */
  static final String MODEL_FILE = "data/model.sprp";

  private ModelIO() {}

  /** Saves {@code owner}'s params and {@code model}'s file under {@code path}. */
  static void save(Params owner, TrainedModel model, String path, SparkContext sc) {
    DefaultParamsWriter.saveMetadata(owner, path, sc, Option.empty(), Option.empty());
    try {
      ModelFile.write(new Path(path, MODEL_FILE), sc.hadoopConfiguration(), model.spec(),
          model.params(), 0, 0, "", model.labels());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + new Path(path, MODEL_FILE) + ": "
          + e.getMessage(), e);
    }
  }

  /** The uid, params and model file saved under {@code path} by a model of class {@code cls}. */
  record Loaded(DefaultParamsReader.Metadata metadata, TrainedModel model) {}

  static Loaded load(String path, SparkContext sc, Class<?> cls) {
    DefaultParamsReader.Metadata md = DefaultParamsReader.loadMetadata(path, sc, cls.getName());
    try {
      return new Loaded(md, TrainedModel.of(ModelFile.read(new Path(path, MODEL_FILE),
          sc.hadoopConfiguration())));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
