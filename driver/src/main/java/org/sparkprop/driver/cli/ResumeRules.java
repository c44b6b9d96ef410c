package org.sparkprop.driver.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.DataFingerprint;

/**
 * What may change when a run is resumed and what may not. A resumed run must end bit for bit
 * where the uninterrupted run would, so everything that shapes a step stays as the checkpoint
 * has it: the model, the optimizer and its schedule, the exchange, the batch size, the seed, the
 * data and its partitioning, and the native threads per task. What only decides how long the
 * run goes on, how often it reports, checkpoints or evaluates, and where files live may change.
 */
final class ResumeRules {
  /** Keys (or sections, ending in '.') a resumed run may change. */
  static final List<String> MAY_CHANGE = List.of("train.epochs", "train.log_every",
      "train.eval_every_epochs", "checkpoint.", "spark.app_name", "spark.jit_nice", "run.name",
      "run.dir_root", "data.train", "data.test", "data.mnist.", "testing.");

  private ResumeRules() {}

  /** Every key that changed and may not change on resume, with both values. */
  static List<String> changedKeys(TrainingConfig before, TrainingConfig now) {
    List<String> problems = new ArrayList<>();
    Config a = before.resolved();
    Config b = now.resolved();
    TreeSet<String> keys = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : a.entrySet()) {
      keys.add(e.getKey());
    }
    for (Map.Entry<String, ConfigValue> e : b.entrySet()) {
      keys.add(e.getKey());
    }
    for (String key : keys) {
      if (mayChange(key)) {
        continue;
      }
      String va = a.hasPath(key) ? a.getValue(key).render(ConfigRenderOptions.concise())
          : "(unset)";
      String vb = b.hasPath(key) ? b.getValue(key).render(ConfigRenderOptions.concise())
          : "(unset)";
      if (!va.equals(vb)) {
        problems.add(key + " was " + va + " in the checkpointed run, now " + vb
            + ": it may not change on resume");
      }
    }
    return problems;
  }

  /**
   * Why a run of {@code stepsNow} steps cannot continue the checkpoint of a run of {@code
   * stepsBefore}: too short, or a learning-rate schedule tied to the run's length; null if it can.
   */
  static String lengthProblem(TrainingConfig before, TrainingConfig now, long stepsBefore,
      long stepsNow, long checkpointStep) {
    String problem = null;
    Config a = before.resolved();
    if (stepsNow < checkpointStep) {
      problem = (String.format(Locale.ROOT, "train.epochs: the checkpoint is at step %d, but "
          + "train.epochs = %s gives only %d steps: raise it", checkpointStep,
          now.train().epochs(), stepsNow));
    } else if (stepsNow != stepsBefore && "cosine".equals(a.getString("lr_schedule.type"))) {
      problem = ("train.epochs: the cosine schedule decays over the run's length, so a run of "
          + stepsNow + " steps instead of " + stepsBefore + " would change the learning rate of "
          + "the steps still to come; keep train.epochs, or start a new run with --init-from");
    }
    return problem;
  }

  /** Why the data now is not the checkpoint's, or null when it is the same. */
  static String dataProblem(DataFingerprint before, DataFingerprint now) {
    if (before.equals(now)) {
      return null;
    }
    return "the training data is not the checkpointed run's: then " + before.describe()
        + ", now " + now.describe() + "; resume needs the same data (start a new run with "
        + "--init-from to train on new data)";
  }

  private static boolean mayChange(String key) {
    for (String allowed : MAY_CHANGE) {
      if (allowed.endsWith(".") ? key.startsWith(allowed) : key.equals(allowed)) {
        return true;
      }
    }
    return false;
  }
}
