package org.sparkprop.driver.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.train.EvalPoint;
import org.sparkprop.driver.train.StepTimes;
import org.sparkprop.driver.train.Trainer;

/** {@code summary.json} of a finished run, and the one line the console prints of it. */
final class RunSummary {
  private RunSummary() {}

  static Map<String, Object> of(TrainingConfig config, ModelSpec spec, Dataset data,
      Trainer trainer, Trainer.Result r, double wallSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", spec.describe());
    m.put("num_params", spec.numParams());
    m.put("optimizer", config.optimizer().name());
    m.put("train_rows", data.trainRows());
    m.put("test_rows", data.testRows());
    m.put("partitions", data.numPartitions());
    m.put("global_batch", trainer.globalBatch());
    m.put("steps", r.steps());
    m.put("epochs", config.train().epochs());
    m.put("train_seconds", r.trainSeconds());
    m.put("wall_seconds", wallSeconds);
    m.put("samples_per_s", r.samplesPerSecond());
    m.put("last_train_loss", r.lastLoss());
    EvalPoint last = r.finalEvaluation();
    if (last != null) {
      m.put("test_loss", last.stats().meanLoss());
      if (spec.isClassification()) {
        m.put("test_accuracy", last.stats().accuracy());
      } else {
        m.put("test_rmse", last.stats().rmse());
      }
    }
    StepTimes t = r.times();
    double perStep = 1e6 * r.steps();
    m.put("ms_per_step", t.total() / perStep);
    m.put("ms_broadcast_per_step", t.broadcast() / perStep);
    m.put("ms_job_per_step", t.job() / perStep);
    m.put("ms_slowest_compute_per_step", t.slowestCompute() / perStep);
    m.put("ms_reduce_per_step", t.reduce() / perStep);
    m.put("ms_optimizer_per_step", t.optimizer() / perStep);
    m.put("bytes_up_per_step", r.bytesUp() / Math.max(1, r.steps()));
    m.put("bytes_down_per_step", r.bytesDown() / Math.max(1, r.steps()));
    m.put("checkpoint_seconds", r.checkpointSeconds());
    m.put("cached_bytes", data.cachedBytes());
    m.put("config_hash", config.hash());
    return m;
  }

  static String line(Map<String, Object> s, Path dir) {
    StringBuilder b = new StringBuilder("done: ");
    b.append(s.get("steps")).append(" steps in ")
        .append(String.format(Locale.ROOT, "%.1f s (%.1f s wall), %,.0f samples/s",
            (Double) s.get("train_seconds"), (Double) s.get("wall_seconds"),
            (Double) s.get("samples_per_s")));
    if (s.containsKey("test_accuracy")) {
      b.append(String.format(Locale.ROOT, ", test accuracy %.2f%%",
          100 * (Double) s.get("test_accuracy")));
    } else if (s.containsKey("test_rmse")) {
      b.append(String.format(Locale.ROOT, ", test RMSE %.4f", (Double) s.get("test_rmse")));
    }
    b.append(String.format(Locale.ROOT, "; per step %.2f ms (broadcast %.2f, job %.2f of which "
            + "slowest compute %.2f and reduce %.2f, optimizer %.2f); model %s",
        (Double) s.get("ms_per_step"), (Double) s.get("ms_broadcast_per_step"),
        (Double) s.get("ms_job_per_step"), (Double) s.get("ms_slowest_compute_per_step"),
        (Double) s.get("ms_reduce_per_step"), (Double) s.get("ms_optimizer_per_step"),
        new Path(dir, RunDirectory.MODEL)));
    return b.toString();
  }
}
