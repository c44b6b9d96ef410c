package org.sparkprop.driver.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.checkpoint.CheckpointReader;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.ConfigProblems;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.DataFingerprint;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.train.CheckpointState;
import org.sparkprop.driver.train.Trainer;

/**
 * {@code train --resume RUN_DIR}: continues a run from its newest complete checkpoint (an
 * unusable one is reported and the one before it used), refusing what would make it end
 * anywhere but where the uninterrupted run would (see {@link ResumeRules}).
 */
final class Resume {
  private Resume() {}

  /** A checkpoint that verified and decoded. */
  private record Found(CheckpointReader.Loaded checkpoint, Trainer.Start start,
      DataFingerprint data) {}

  static int run(JavaSparkContext jsc, String runDirArg, File configFile, List<String> sets,
      PrintStream out, PrintStream err) {
    return run(jsc, runDirArg, configFile, sets, false, out, err);
  }

  /** As above, with a live progress bar on {@code out} when {@code bar}. */
  static int run(JavaSparkContext jsc, String runDirArg, File configFile, List<String> sets,
      boolean bar, PrintStream out, PrintStream err) {
    long started = System.nanoTime();
    Configuration conf = jsc.hadoopConfiguration();
    TrainingData td = null;
    Path runDir = null;
    try {
      runDir = TrainCommand.path(runDirArg, "--resume");
      RunDirectory dir;
      Found found;
      try {
        dir = RunDirectory.existing(runDir, conf);
        found = CheckpointReader.newest(runDir, conf, c -> {
          DataFingerprint data = CheckpointState.fingerprint(c);
          return new Found(c, CheckpointState.decode(c, c.model().params().length,
              data.partitions()), data);
        }, w -> err.println("sparkprop train: warning: " + w));
      } catch (IOException e) {
        throw new UserError(1, "--resume " + e.getMessage());
      }
      CheckpointReader.Loaded c = found.checkpoint();
      TrainingConfig before = configOf(c, null, List.of());
      TrainingConfig now = configOf(c, configFile, sets);
      if (now.data().partitions() == 0) {
        // "as many as Spark's parallelism": the checkpointed run recorded how many that was.
        now = now.withPartitions(before.data().partitions());
      }
      List<String> changed = ResumeRules.changedKeys(before, now);
      if (!changed.isEmpty()) {
        throw new UserError(ExitCodes.FAILED, "cannot resume " + runDir + ":\n  " + String.join("\n  ",
            changed));
      }
      td = TrainingData.load(jsc, now);
      String mismatch = WarmStart.mismatch(c.model().spec(), td.spec());
      if (mismatch != null) {
        throw new UserError(ExitCodes.FAILED, "cannot resume " + runDir + ": " + mismatch);
      }
      String dataProblem = ResumeRules.dataProblem(found.data(), td.data().fingerprint());
      if (dataProblem != null) {
        throw new UserError(1, "cannot resume " + runDir + ": " + dataProblem);
      }
      Trainer trainer = TrainCommand.trainer(jsc, td, out).showProgressBar(bar);
      int threads;
      try {
        threads = CheckpointState.nativeThreads(c);
      } catch (IOException e) {
        throw new UserError(1, "cannot resume " + runDir + ": " + e.getMessage());
      }
      if (threads != trainer.nativeThreads()) {
        throw new UserError(ExitCodes.FAILED, "cannot resume " + runDir + ": the checkpointed run computed "
            + "with " + threads + " native thread(s) per task, this one would use "
            + trainer.nativeThreads() + " (spark.native_threads, else spark.task.cpus): set "
            + "spark.native_threads = " + threads + " to get the same bits");
      }
      long stepsBefore = Trainer.totalSteps(before, found.data().rows());
      String lengthProblem = ResumeRules.lengthProblem(before, td.config(), stepsBefore,
          trainer.totalSteps(), c.step());
      if (lengthProblem != null) {
        throw new UserError(ExitCodes.FAILED, "cannot resume " + runDir + ": " + lengthProblem);
      }
      try {
        long finished = dir.modelStep();
        if (finished >= 0) {
          if (trainer.totalSteps() <= finished) {
            out.println("sparkprop: " + runDir + " already finished (" + finished + " steps, "
                + RunDirectory.MODEL + " written): nothing to resume; raise train.epochs with "
                + "--set to extend it");
            return 0;
          }
          out.println("sparkprop: extending the finished run; its model stays as "
              + dir.keepModelAside(finished));
        }
      } catch (IOException e) {
        throw new UserError(1, e.getMessage());
      }
      out.println(TrainCommand.header(td, dir));
      out.println(String.format(Locale.ROOT, "sparkprop: resuming from %s (step %d of %d)",
          c.dir(), c.step(), trainer.totalSteps()));
      return TrainCommand.finish(jsc, td, trainer, dir, found.start(), c.step(), started, out);
    } catch (UserError e) {
      err.println("sparkprop train: " + e.getMessage());
      return e.exitCode();
    } finally {
      if (td != null) {
        td.data().unpersist();
      }
    }
  }

  /** The checkpoint's resolved config with {@code file} and {@code sets} on top. */
  private static TrainingConfig configOf(CheckpointReader.Loaded c, File file, List<String> sets)
      throws UserError {
    Config saved;
    try {
      saved = ConfigFactory.parseString(c.config());
    } catch (ConfigException e) {
      throw new UserError(1, c.dir() + "/config.conf: " + e.getMessage());
    }
    try {
      return TrainingConfig.from(ConfigLoader.userLayer(file, sets).withFallback(saved));
    } catch (ConfigProblems e) {
      throw new UserError(ExitCodes.FAILED, e.getMessage());
    }
  }
}
