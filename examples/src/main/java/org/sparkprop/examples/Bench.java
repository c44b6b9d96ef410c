package org.sparkprop.examples;

import java.io.File;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.BlockList;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.sample.BatchSampler;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.dataset.DatasetLoader;
import org.sparkprop.driver.io.MetricsSink;
import org.sparkprop.driver.optim.Optimizer;
import org.sparkprop.driver.spark.SparkSetup;
import org.sparkprop.driver.train.EvalPoint;
import org.sparkprop.driver.train.StepTimes;
import org.sparkprop.driver.train.Trainer;

/**
 * The W1 benchmark: MNIST, MLP 784-256-10 ReLU, Adam 1e-3, global batch 256 over 2 partitions,
 * local[2]. Prints, from one run so the ratios hold on a noisy machine: samples/s, s/epoch, time
 * to 97 % test accuracy (at epoch granularity), the per-step breakdown, the trivial-job floor,
 * and the single-process (no Spark) throughput of the same model.
 *
 * <pre>bin/sparkprop-bench [--epochs N] [--master local[2]]</pre>
 */
public final class Bench {
  private Bench() {}

  /** Default steps between two trivial jobs timed during training ({@link InterleavedFloor}). */
  static final int FLOOR_EVERY = 10;

  public static void main(String[] args) throws Exception {
    double epochs = 5;
    String master = "local[2]";
    List<String> sets = new ArrayList<>();
    String sparseConfig = null;
    long soakSteps = 0;
    int floorEvery = FLOOR_EVERY;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--epochs":
          epochs = Double.parseDouble(args[i + 1]);
          break;
        case "--master":
          master = args[i + 1];
          break;
        case "--set":
          sets.add(args[i + 1]);
          break;
        case "--floor-every":
          floorEvery = Integer.parseInt(args[i + 1]);
          break;
        case "--sparse":
          sparseConfig = args[i + 1];
          break;
        case "--soak":
          soakSteps = Long.parseLong(args[i + 1]);
          break;
        default:
          System.err.println("usage: bench [--epochs N] [--master URL] [--set KEY=VALUE]..."
              + " [--floor-every STEPS] [--sparse CONFIG] [--soak STEPS]");
          System.exit(2);
      }
    }
    List<String> overrides = new ArrayList<>(List.of("train.epochs=" + epochs,
        "data.partitions=2"));
    overrides.addAll(sets);
    // after the user's settings: the floor's cadence is the records' cadence
    overrides.add("train.log_every=" + (floorEvery > 0 ? floorEvery : 50));
    TrainingConfig config = TrainingConfig.from(ConfigLoader.userLayer(
        new File("conf/examples/mnist-mlp.conf"), overrides));
    PrintStream out = System.out;
    try (JavaSparkContext jsc = new JavaSparkContext(SparkSetup.conf(master, "sparkprop-bench")
        .set("spark.ui.enabled", "false"))) {
      jsc.setLogLevel("WARN");
      if (soakSteps > 0) {
        soak(jsc, soakSteps, out);
        return;
      }
      ModelSpec labelRule = config.model().spec(784);
      Dataset data = new DatasetLoader(jsc, config.data(), labelRule, config.run().seed()).load();
      ModelSpec spec = config.model().spec(data.numFeatures());

      float[] params = new float[spec.numParams()];
      new Network(spec).init(params, config.run().seed());
      Trainer trainer = new Trainer(jsc, config, data, spec,
          new PrintStream(OutputStream.nullOutputStream()));
      InterleavedFloor sink = new InterleavedFloor(jsc, floorEvery > 0);
      CpuAccount cpuBefore = CpuAccount.now();
      Trainer.Result r = trainer.run(params, sink);
      CpuAccount.Spent cpu = cpuBefore.until(CpuAccount.now());
      sink.close();
      double floorMs = trivialJobFloorMs(jsc); // after training: the same warm JVM and scheduler
      // Also after training, in the same JVM. One thread, as DL4J's single-process figure: a
      // one-worker pool keeps the optimizer's parallel chunks on that thread too.
      java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
      double singleProcess = one.submit(() -> singleProcessSamplesPerSecond(data, spec, config))
          .get();
      one.shutdown();

      double steps = r.steps();
      StepTimes t = r.times();
      double stepMs = t.total() / 1e6 / steps;
      double computeMs = t.slowestCompute() / 1e6 / steps;
      double to97 = Double.NaN;
      for (EvalPoint p : r.evaluations()) {
        if (p.stats().accuracy() >= 0.97) {
          to97 = p.seconds();
          break;
        }
      }
      double epochSeconds = r.trainSeconds() / epochs;
      out.println();
      out.println("W1: MNIST MLP 784-256-10 relu, batch 256 = 2 x 128, " + master + ", exchange "
          + config.exchange().mode().configName() + ", optimizer " + config.optimizer().name()
          + " " + config.optimizer().toMap() + (sets.isEmpty() ? "" : ", " + sets));
      row(out, "samples/s (Spark, every step aggregated)", "%,.0f", r.samplesPerSecond());
      row(out, "s/epoch", "%.2f", epochSeconds);
      row(out, "time to 97% test accuracy (epoch granularity), s", "%.1f", to97);
      row(out, "test accuracy after " + epochs + " epochs", "%.2f%%",
          100 * r.finalEvaluation().stats().accuracy());
      row(out, "step time, ms", "%.2f", stepMs);
      row(out, "  broadcast, ms", "%.2f", t.broadcast() / 1e6 / steps);
      row(out, "  slowest partition compute, ms", "%.2f", computeMs);
      row(out, "  reduce (driver merge), ms", "%.2f", t.reduce() / 1e6 / steps);
      row(out, "  optimizer, ms", "%.2f", t.optimizer() / 1e6 / steps);
      row(out, "  other (scheduling, serialization), ms", "%.2f",
          (t.job() - t.slowestCompute() - t.reduce()) / 1e6 / steps);
      row(out, "per-step overhead (step - slowest compute), ms", "%.2f", stepMs - computeMs);
      row(out, "task-thread CPU per task (its gradient and its share of serialization), ms",
          "%.2f", 1000 * cpu.tasks() / (steps * data.numPartitions()));
      out.println(String.format(Locale.ROOT, "  CPU during training, s (%d cores x %.1f s wall ="
          + " %.1f): process %.1f = task threads %.1f + JIT compilers %.1f + GC %.1f + rest %.1f",
          Runtime.getRuntime().availableProcessors(), cpu.wall(),
          Runtime.getRuntime().availableProcessors() * cpu.wall(), cpu.process(), cpu.tasks(),
          cpu.jit(), cpu.gc(), cpu.rest()));
      row(out, "trivial-job floor after training (count of cached 2-partition RDD, p50), ms",
          "%.2f", floorMs);
      double duringMs = sink.p50Ms(0, r.steps());
      row(out, "trivial-job floor during training (a count every " + floorEvery + " steps, "
          + InterleavedFloor.SETTLE_MS + " ms idle first, p50), ms", "%.2f", duringMs);
      row(out, "overhead / floor during training, whole run", "%.2f",
          (stepMs - computeMs) / duringMs);
      row(out, "overhead / floor after training, whole run", "%.2f",
          (stepMs - computeMs) / floorMs);
      StepTimes lastEpoch = r.epochTimes().get(r.epochTimes().size() - 1);
      double lastOverhead = lastEpoch.msPerStep(lastEpoch.total() - lastEpoch.slowestCompute());
      row(out, "overhead / floor after training, last epoch (both warm)", "%.2f",
          lastOverhead / floorMs);
      out.println("  per epoch: step ms, slowest compute ms, overhead ms, broadcast ms,"
          + " optimizer ms; floor during the epoch (p50) ms, overhead / that floor");
      long stepsBefore = 0;
      for (int e = 0; e < r.epochTimes().size(); e++) {
        StepTimes et = r.epochTimes().get(e);
        double over = et.msPerStep(et.total() - et.slowestCompute());
        double floorThen = sink.p50Ms(stepsBefore, stepsBefore + et.steps());
        out.println(String.format(Locale.ROOT,
            "    epoch %d (%d steps)  %6.2f  %6.2f  %6.2f  %5.2f  %5.2f   %5.2f (%d jobs)  %5.2f",
            e + 1, et.steps(), et.msPerStep(et.total()), et.msPerStep(et.slowestCompute()),
            over, et.msPerStep(et.broadcast()), et.msPerStep(et.optimizer()), floorThen,
            sink.count(stepsBefore, stepsBefore + et.steps()), over / floorThen));
        stepsBefore += et.steps();
      }
      row(out, "single process, same model, 1 thread, batch 256, samples/s", "%,.0f",
          singleProcess);
      row(out, "up-link bytes/step, whole run (task results)", "%,.0f",
          (double) r.bytesUp() / r.steps());
      row(out, "up-link bytes/step, last 50 steps", "%,.0f", sink.lastBytesUp(50));
      row(out, "down-link bytes/step (step-state broadcast)", "%,.0f",
          (double) r.bytesDown() / r.steps());
      out.println(String.format(Locale.ROOT, "TABLE\t%s\t%.2f%%\t%.0f\t%.0f\t%.0f\t%.0f\t%.1f",
          config.exchange().mode().configName(), 100 * r.finalEvaluation().stats().accuracy(),
          (double) r.bytesUp() / r.steps(), sink.lastBytesUp(50),
          (double) r.bytesDown() / r.steps(), r.samplesPerSecond(), to97));
      row(out, "cached training data, MB (raw float32: "
          + String.format(Locale.ROOT, "%.1f", data.trainRows() * (784 + 1) * 4 / 1e6) + ")",
          "%.1f", data.cachedBytes() / 1e6);
      data.unpersist();
      if (sparseConfig != null) {
        sparse(jsc, sparseConfig, out);
      }
    }
  }

  /**
   * Driver memory over a long run: softmax regression on MNIST for {@code steps} steps (batch
   * 256), the driver's used heap after a full GC every 10,000 steps. Flat means no per-step
   * growth (broadcasts destroyed, listener state bounded, metrics not kept).
   */
  static void soak(JavaSparkContext jsc, long steps, PrintStream out) {
    double epochs = steps * 256.0 / 60_000;
    TrainingConfig config = TrainingConfig.from(ConfigLoader.userLayer(
        new File("conf/examples/mnist-mlp.conf"), List.of("model.type=softmax_regression",
            "train.epochs=" + epochs, "train.log_every=10000", "train.eval_every_epochs=0",
            "data.partitions=2")));
    Dataset data = new DatasetLoader(jsc, config.data(), config.model().spec(784),
        config.run().seed()).load();
    ModelSpec spec = config.model().spec(data.numFeatures());
    float[] params = new float[spec.numParams()];
    new Network(spec).init(params, 1);
    out.println("soak: " + spec.describe() + ", " + steps + " steps; used heap after GC:");
    long started = System.nanoTime();
    MetricsSink sink = new MetricsSink() {
      @Override
      public void write(java.util.Map<String, Object> record) {
        if ("train".equals(record.get("type"))) {
          System.gc();
          Runtime rt = Runtime.getRuntime();
          out.println(String.format(Locale.ROOT, "  step %,9d  %7.1f MB  (%.0f s)",
              ((Number) record.get("step")).longValue(),
              (rt.totalMemory() - rt.freeMemory()) / 1e6,
              (System.nanoTime() - started) / 1e9));
          out.flush();
        }
      }

      @Override
      public void close() {}
    };
    new Trainer(jsc, config, data, spec, new PrintStream(OutputStream.nullOutputStream()))
        .run(params, sink);
    data.unpersist();
  }

  /** The sparse workload: one run of a LIBSVM config, per-epoch rate and cache size. */
  static void sparse(JavaSparkContext jsc, String configFile, PrintStream out) {
    TrainingConfig config = TrainingConfig.from(ConfigLoader.userLayer(new File(configFile),
        List.of()));
    long t0 = System.nanoTime();
    Dataset data = new DatasetLoader(jsc, config.data(), config.model().spec(1),
        config.run().seed()).load();
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    ModelSpec spec = config.model().spec(data.numFeatures());
    float[] params = new float[spec.numParams()];
    new Network(spec).init(params, config.run().seed());
    Trainer.Result r = new Trainer(jsc, config, data, spec,
        new PrintStream(OutputStream.nullOutputStream())).run(params, MetricsSink.none());
    long nnz = data.train().map(b -> (long) ((org.sparkprop.core.data.SparseBlock) b).nnz())
        .fold(0L, Long::sum);
    double csrBytes = 8.0 * nnz + 8.0 * data.trainRows() + 4.0 * data.numPartitions();
    out.println();
    out.println("Sparse: " + spec.describe() + ", " + data.trainRows() + " rows, " + nnz
        + " non-zeros, batch " + config.train().batchSize() + ", " + config.optimizer().name());
    row(out, "load (parse once, balance, cache), s", "%.1f", loadSeconds);
    row(out, "samples/s", "%,.0f", r.samplesPerSecond());
    row(out, "s/epoch", "%.1f", r.trainSeconds() / config.train().epochs());
    row(out, "step time, ms", "%.2f", r.times().total() / 1e6 / r.steps());
    row(out, "test accuracy", "%.2f%%", 100 * r.finalEvaluation().stats().accuracy());
    row(out, "cached training data, MB", "%.1f", data.cachedBytes() / 1e6);
    row(out, "raw CSR size (indices+values+indptr+labels), MB", "%.1f", csrBytes / 1e6);
    row(out, "cached / raw CSR", "%.3f", data.cachedBytes() / csrBytes);
    data.unpersist();
  }

  private static void row(PrintStream out, String name, String format, double value) {
    out.println(String.format(Locale.ROOT, "  %-66s " + format, name, value));
  }

  /** The floor job's data: a 2-partition RDD of four integers, cached (by one count). */
  static JavaRDD<Integer> floorRdd(JavaSparkContext jsc) {
    JavaRDD<Integer> rdd = jsc.parallelize(Arrays.asList(1, 2, 3, 4), 2)
        .persist(StorageLevel.MEMORY_ONLY());
    rdd.count();
    return rdd;
  }

  /** p50 of 50 {@code count()} jobs on a cached 2-partition RDD, after 20 warm-up jobs. */
  static double trivialJobFloorMs(JavaSparkContext jsc) {
    JavaRDD<Integer> rdd = floorRdd(jsc);
    for (int i = 0; i < 20; i++) {
      rdd.count();
    }
    double[] ms = new double[50];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      rdd.count();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    rdd.unpersist();
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  /**
   * The same model and optimizer on one thread without Spark: gather + gradient + Adam per batch,
   * 300 batches after 100 warm-up batches.
   */
  static double singleProcessSamplesPerSecond(Dataset data, ModelSpec spec,
      TrainingConfig config) {
    List<Block> blocks = new ArrayList<>(data.train().mapPartitionsWithIndex(
        (index, it) -> index == 0 ? it : java.util.Collections.<Block>emptyIterator(), false)
        .collect());
    BlockList list = new BlockList(blocks);
    Network network = new Network(spec);
    float[] params = new float[spec.numParams()];
    network.init(params, 1);
    float[] grad = new float[params.length];
    Optimizer optimizer = config.optimizer().create(params.length);
    BatchSampler sampler = new BatchSampler(1, 0, list.numRows());
    int batch = 256;
    int[] rows = new int[batch];
    int warmup = 100;
    int measured = 300;
    long start = 0;
    for (int step = 0; step < warmup + measured; step++) {
      if (step == warmup) {
        start = System.nanoTime();
      }
      sampler.rowsForStep(step, batch, 1, rows);
      Block b = list.gather(rows, batch);
      network.gradient(params, b, grad);
      GradientPayload.divide(grad, batch, grad); // the mean, as the training loop takes it
      optimizer.step(params, grad);
    }
    return (double) measured * batch / ((System.nanoTime() - start) / 1e9);
  }
}
