package org.sparkprop.driver.cli;

import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.dataset.DatasetLoader;

/**
 * The data a config names, loaded and checked against its model, with the model it fixes and
 * the config with the partition count the data got.
 */
record TrainingData(TrainingConfig config, Dataset data, ModelSpec spec) {

  /**
   * Loads {@code config}'s data.
   *
   * @throws UserError (exit 1) for bad input, a model that does not fit the data, an I/O failure
   */
  static TrainingData load(JavaSparkContext jsc, TrainingConfig config) throws UserError {
    if (!"table".equals(config.data().format())) { // a table is named, not found by path
      config = config.withDataPaths(qualified(jsc, config.data().train()),
          qualified(jsc, config.data().test()));
    }
    Dataset data;
    try {
      ModelSpec labelRule = config.model().spec(Math.max(1, config.model().inputDim()));
      TrainingConfig.Data dataSettings = config.data();
      if ("libsvm".equals(dataSettings.format()) && dataSettings.numFeatures() == 0
          && config.model().inputDim() > 0) {
        // The model fixes the dimension: indices beyond it are errors, fewer are fine.
        dataSettings = dataSettings.withNumFeatures(config.model().inputDim());
      }
      data = new DatasetLoader(jsc, dataSettings, labelRule, config.run().seed()).load();
    } catch (DataFileException e) {
      throw new UserError(1, "bad input: " + e.getMessage());
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new UserError(1, e.getMessage());
    }
    if (config.model().inputDim() > 0 && config.model().inputDim() != data.numFeatures()) {
      data.unpersist();
      throw new UserError(1, "model.input_dim = " + config.model().inputDim() + " but "
          + config.data().train() + " has " + data.numFeatures()
          + " features: fix model.input_dim (or set it to 0 to take the data's)");
    }
    // The partition count may have come from the cluster (data.partitions = 0): record it, so
    // the saved config reruns bit for bit elsewhere.
    return new TrainingData(config.withPartitions(data.numPartitions()), data,
        config.model().spec(data.numFeatures()));
  }

  /**
   * {@code path} made absolute against the driver's working directory and default file system
   * (a relative path would resolve against each executor's own directory); globs and
   * comma-free URIs are kept as they are otherwise.
   */
  static String qualified(JavaSparkContext jsc, String path) throws UserError {
    if (path.isBlank()) {
      return path;
    }
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(jsc.hadoopConfiguration()).makeQualified(p).toString();
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new UserError(1, "data path " + path + ": " + e.getMessage());
    }
  }
}
