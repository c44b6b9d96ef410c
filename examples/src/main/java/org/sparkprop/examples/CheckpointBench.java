package org.sparkprop.examples;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.checkpoint.CheckpointWriter;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.dataset.DatasetLoader;
import org.sparkprop.driver.io.MetricsSink;
import org.sparkprop.driver.spark.SparkSetup;
import org.sparkprop.driver.train.Checkpointer;
import org.sparkprop.driver.train.Trainer;

/**
 * What checkpoints cost W1 (conf/examples/mnist-mlp.conf: 5 epochs, a checkpoint at every epoch
 * boundary and the end): whole runs with and without checkpoints, alternating in one JVM on the
 * same cached data after one warm-up run that is not counted (A B B A A B ...), so the JIT and
 * the machine's mood fall on both sides. Also prints what the checkpoints themselves took (the
 * time inside the writer, gathers included), the figure that does not drown in that noise.
 *
 * <pre>SPARKPROP_MAIN=org.sparkprop.examples.CheckpointBench bin/sparkprop [PAIRS] [EXCHANGE]</pre>
 */
public final class CheckpointBench {
  private CheckpointBench() {}

  /** One run's times, in seconds. */
  record Times(boolean checkpoints, double wall, double train, double checkpoint, int count) {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    String exchange = args.length > 1 ? args[1] : "dense";
    TrainingConfig config = TrainingConfig.from(ConfigLoader.userLayer(
        new File("conf/examples/mnist-mlp.conf"), List.of("exchange=" + exchange,
            "train.log_every=100000")));
    Path root = Files.createTempDirectory("sparkprop-checkpoint-bench");
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (JavaSparkContext jsc = new JavaSparkContext(SparkSetup.conf("local[2]",
        "sparkprop-checkpoint-bench").set("spark.ui.enabled", "false"))) {
      jsc.setLogLevel("WARN");
      Dataset data = new DatasetLoader(jsc, config.data(), config.model().spec(784),
          config.run().seed()).load();
      ModelSpec spec = config.model().spec(data.numFeatures());
      TrainingConfig withParts = config.withPartitions(data.numPartitions());
      List<Times> all = new ArrayList<>();
      for (int i = -1; i < 2 * pairs; i++) {
        boolean on = (i % 4 == 1) || (i % 4 == 2); // warm-up, then A B B A A B B A ...
        float[] params = new float[spec.numParams()];
        new Network(spec).init(params, withParts.run().seed());
        Path runDir = root.resolve("run-" + i);
        Checkpointer checkpoints = on ? new Checkpointer(new CheckpointWriter(
            new org.apache.hadoop.fs.Path(runDir.toString()), jsc.hadoopConfiguration(), 2),
            withParts, spec, data.fingerprint()) : null;
        Trainer trainer = new Trainer(jsc, withParts, data, spec, quiet);
        long t0 = System.nanoTime();
        Trainer.Result r = trainer.run(Trainer.Start.fresh(params), MetricsSink.none(),
            checkpoints);
        double wall = (System.nanoTime() - t0) / 1e9;
        int count = on ? checkpoints.written() : 0;
        Times t = new Times(on, wall, r.trainSeconds(), r.checkpointSeconds(), count);
        if (i >= 0) {
          all.add(t);
        }
        System.out.println(String.format(Locale.ROOT, "%-7s  checkpoints %-3s  wall %.2f s  "
            + "training %.2f s  checkpointing %.3f s (%d)  test accuracy %.2f%%",
            i < 0 ? "warm-up" : "run " + (i + 1),
            on ? "on" : "off", t.wall(), t.train(), t.checkpoint(), t.count(),
            100 * r.finalEvaluation().stats().accuracy()));
      }
      double offWall = mean(all, false, Times::wall);
      double onWall = mean(all, true, Times::wall);
      double ckpt = mean(all, true, Times::checkpoint);
      double perRun = mean(all, true, Times::count);
      System.out.println(String.format(Locale.ROOT, "exchange %s, %d runs each: wall %.2f s "
          + "without, %.2f s with checkpoints (%+.1f %%); checkpointing itself %.3f s a run "
          + "(%.2f %% of the run with it, %.1f ms a checkpoint)", exchange, pairs, offWall,
          onWall, 100 * (onWall / offWall - 1), ckpt, 100 * ckpt / onWall,
          1000 * ckpt / perRun));
      data.unpersist();
    } finally {
      FileSystem.getLocal(new org.apache.hadoop.conf.Configuration())
          .delete(new org.apache.hadoop.fs.Path(root.toString()), true);
    }
  }

  private static double mean(List<Times> all, boolean on,
      java.util.function.ToDoubleFunction<Times> f) {
    return all.stream().filter(t -> t.checkpoints() == on).mapToDouble(f).average().orElse(0);
  }
}
