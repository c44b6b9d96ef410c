package org.sparkprop.driver.cli;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.ParamLayout;
import org.sparkprop.driver.checkpoint.CheckpointLayout;
import org.sparkprop.driver.checkpoint.CheckpointReader;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.io.Storage;
import org.sparkprop.driver.optim.OptimizerState;
import org.sparkprop.driver.train.CheckpointState;
import org.sparkprop.driver.train.Trainer;

/**
 * {@code train --init-from PATH}: a new run that starts from a previous model's parameters.
 * PATH is a model file, a run directory (its {@code model.sprp}, else its newest complete
 * checkpoint) or a checkpoint directory. The optimizer starts fresh unless asked to continue
 * from a checkpoint's state ({@code --init-optimizer-state}); the step count, the schedule and
 * the data order start anew either way.
 */
final class WarmStart {
  private WarmStart() {}

  /**
   * The start of a run of model {@code spec} from {@code path}.
   *
   * @throws IOException naming the path and what does not fit (the layer, for a model of
   *     another architecture)
   */
  static Trainer.Start load(String path, boolean withOptimizer, ModelSpec spec,
      Configuration conf, Consumer<String> warn) throws IOException {
    Path p = new Path(path);
    if (!Storage.exists(p, conf)) {
      throw new IOException(path + ": no such model file, run directory or checkpoint");
    }
    ModelFile.Contents model;
    OptimizerState optimizer = null;
    Path model0 = new Path(p, RunDirectory.MODEL);
    boolean dir = Storage.isDirectory(p, conf);
    if (dir && CheckpointLayout.stepOf(p) >= 0) {
      CheckpointReader.Loaded c = CheckpointReader.open(p, conf);
      model = c.model();
      optimizer = withOptimizer ? optimizerOf(c) : null;
    } else if (dir && (withOptimizer || !Storage.exists(model0, conf))) {
      CheckpointReader.Loaded c = CheckpointReader.newest(p, conf, x -> x, warn);
      model = c.model();
      optimizer = withOptimizer ? optimizerOf(c) : null;
      if (Storage.exists(model0, conf) && ModelFile.read(model0, conf).step() != c.step()) {
        warn.accept("the parameters and optimizer state come from " + c.dir() + " (step "
            + c.step() + "), not from " + model0 + ", which is of step "
            + ModelFile.read(model0, conf).step());
      }
    } else {
      if (withOptimizer) {
        throw new IOException(path + ": a model file holds no optimizer state; give a "
            + "checkpoint or run directory to --init-from with --init-optimizer-state");
      }
      Path file = dir ? model0 : p;
      model = ModelFile.read(file, conf);
    }
    String mismatch = mismatch(model.spec(), spec);
    if (mismatch != null) {
      throw new IOException(path + ": " + mismatch);
    }
    return Trainer.Start.warm(model.params(), optimizer);
  }

  private static OptimizerState optimizerOf(CheckpointReader.Loaded c) throws IOException {
    return CheckpointState.optimizer(c);
  }

  /**
   * How the architecture {@code from} differs from {@code to}, naming the first layer that
   * differs, or null when they are the same.
   */
  static String mismatch(ModelSpec from, ModelSpec to) {
    if (from.equals(to)) {
      return null;
    }
    String both = "the model is " + from.describe() + ", the config's is " + to.describe();
    if (from.kind() != to.kind()) {
      return both + " (model.type differs)";
    }
    ParamLayout a = from.layout();
    ParamLayout b = to.layout();
    if (a.numLayers() != b.numLayers()) {
      return both + " (" + a.numLayers() + " layers there, " + b.numLayers() + " here)";
    }
    for (int l = 0; l < a.numLayers(); l++) {
      if (a.inputSize(l) != b.inputSize(l) || a.outputSize(l) != b.outputSize(l)) {
        return both + ": layer " + (l + 1) + " has " + a.inputSize(l) + "x" + a.outputSize(l)
            + " weights there, " + b.inputSize(l) + "x" + b.outputSize(l) + " here";
      }
    }
    if (from.activation() != to.activation()) {
      return both + " (model.activation differs)";
    }
    return both + " (model.loss differs)";
  }
}
