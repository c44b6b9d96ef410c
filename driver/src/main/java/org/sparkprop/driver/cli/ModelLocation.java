package org.sparkprop.driver.cli;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.io.Storage;

/**
 * The model file that {@code --model PATH} names: a model file, a run directory (its {@code
 * model.sprp}), or a Spark ML model saved by {@code SparkpropClassificationModel} or a
 * regressor ({@code data/model.sprp} under it).
 */
final class ModelLocation {
  /** Where a saved Spark ML model keeps its model file. */
  static final String SPARK_ML_MODEL = "data/model.sprp";

  private ModelLocation() {}

  /**
   * Reads the model {@code path} names.
   *
   * @throws UserError (exit 1) naming the path: none there, no model in a directory, a file that
   *     is not a model, a damaged one
   */
  static ModelFile.Contents read(String path, Configuration conf) throws UserError {
    Path p = TrainCommand.path(path, "--model");
    try {
      if (!Storage.exists(p, conf)) {
        throw new UserError(ExitCodes.FAILED, "--model " + path + ": no such file or directory");
      }
      Path file = p;
      if (Storage.isDirectory(p, conf)) {
        Path run = new Path(p, RunDirectory.MODEL);
        Path ml = new Path(p, SPARK_ML_MODEL);
        file = Storage.exists(run, conf) ? run : Storage.exists(ml, conf) ? ml : null;
        if (file == null) {
          throw new UserError(ExitCodes.FAILED, "--model " + path + ": a directory with no "
              + RunDirectory.MODEL + " (a finished run's) or " + SPARK_ML_MODEL + " (a saved "
              + "Spark ML model's); a run that stopped early has checkpoints only: resume it, "
              + "or give a checkpoint's model file");
        }
      }
      return ModelFile.read(file, conf);
    } catch (IOException e) {
      throw new UserError(ExitCodes.FAILED, "--model " + e.getMessage());
    }
  }
}
