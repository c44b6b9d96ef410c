package org.sparkprop.examples;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.StorageLevel;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.io.MetricsSink;
import org.sparkprop.driver.spark.SparkSetup;
import org.sparkprop.driver.train.Trainer;

/**
 * What a step costs the driver as partitions grow: for models of ~0.2M, ~4.1M and ~20M
 * parameters and 2 to 64 partitions (local[2], one JVM), dense steps with every partition's
 * gradient to the driver ({@code reduce.mode = direct}), through the reduction tree ({@code
 * tree}, 4 groups), and sign-ef steps (direct, and decoded in the same tree). Per step: bytes
 * into and out of the driver, the driver's merge time, broadcast and step time, the task
 * results Spark fetched from executors' block managers rather than inline (over {@code
 * spark.task.maxDirectResultSize}), and the JVM's heap high-water mark (driver and executors
 * share it in local mode). Random data, a fixed number of steps per configuration, after one
 * warm-up configuration that is not reported.
 *
 * <pre>SPARKPROP_MAIN=org.sparkprop.examples.ScaleBench bin/sparkprop [MODELS] [STEPS] [PARTITIONS]</pre>
 *
 * <p>MODELS: a comma list of small, medium, large (default small,medium); STEPS per
 * configuration (default 6); PARTITIONS: a comma list to run only those counts.
 */
public final class ScaleBench {
  static final int ROWS = 4096;
  static final int BATCH = 256;

  private ScaleBench() {}

  record Model(String name, int inputs, int[] hidden, int[] partitions) {
    int params() {
      int n = 0;
      int in = inputs;
      for (int h : hidden) {
        n += in * h + h;
        in = h;
      }
      return n + in * 10 + 10;
    }
  }

  static final List<Model> MODELS = List.of(
      new Model("small", 784, new int[] {256}, new int[] {2, 4, 8, 16, 32, 64}),
      new Model("medium", 1000, new int[] {4096}, new int[] {2, 4, 8, 16, 32, 64}),
      new Model("large", 784, new int[] {4096, 4096}, new int[] {2, 8, 32}));

  public static void main(String[] args) throws Exception {
    List<String> names = List.of((args.length > 0 ? args[0] : "small,medium").split(","));
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    List<String> only = args.length > 2 ? List.of(args[2].split(",")) : null;
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (JavaSparkContext jsc = new JavaSparkContext(SparkSetup.conf("local[2]",
        "sparkprop-scale-bench").set("spark.ui.enabled", "false"))) {
      jsc.setLogLevel("ERROR");
      AtomicLong indirect = new AtomicLong();
      jsc.sc().addSparkListener(new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          if (end.taskInfo().gettingResultTime() > 0) {
            indirect.incrementAndGet();
          }
        }
      });
      System.out.println("| model | params | partitions | reduce | MB into driver / step | "
          + "MB out / step | driver merge ms | broadcast ms | step ms | results via block "
          + "manager / step | heap high-water MB |");
      System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
      run(jsc, MODELS.get(0), 2, "direct", 4, quiet, indirect, true); // warm-up
      for (Model m : MODELS) {
        if (!names.contains(m.name())) {
          continue;
        }
        for (int p : m.partitions()) {
          if (only != null && !only.contains(Integer.toString(p))) {
            continue;
          }
          for (String mode : List.of("direct", "tree", "sign-ef", "sign-ef tree")) {
            if (mode.endsWith("tree") && p <= 4) {
              continue; // 4 groups: no tree below 5 partitions
            }
            try {
              run(jsc, m, p, mode, steps, quiet, indirect, false);
            } catch (Exception e) { // a SparkException, thrown undeclared
              String why = String.valueOf(e.getMessage()).lines().filter(l -> l.contains(
                  "maxResultSize") || l.contains("OutOfMemory")).findFirst()
                  .orElse(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
              System.out.println(String.format(Locale.ROOT, "| %s | %.1fM | %d | %s | failed: "
                  + "%s |||||||", m.name(), m.params() / 1e6, p, mode, why.trim()));
            }
          }
        }
      }
    }
  }

  private static void run(JavaSparkContext jsc, Model m, int partitions, String mode, int steps,
      PrintStream quiet, AtomicLong indirect, boolean warmUp) {
    List<String> sets = new ArrayList<>(List.of("model.type=mlp",
        "model.hidden=" + java.util.Arrays.toString(m.hidden()), "model.outputs=10",
        "train.batch_size=" + BATCH, "train.log_every=100000", "checkpoint.every_epochs=0",
        "train.epochs=" + ((double) steps * BATCH / ROWS), "data.partitions=" + partitions,
        "optimizer.name=adam", "optimizer.lr=0.001", "reduce.groups=4"));
    if (mode.startsWith("sign-ef")) {
      sets.add("exchange=sign-ef");
    }
    sets.add("reduce.mode=" + (mode.endsWith("tree") ? "tree" : "direct"));
    TrainingConfig config = TrainingConfig.from(ConfigLoader.userLayer(
        new File("conf/examples/mnist-mlp.conf"), sets));
    Dataset data = randomData(jsc, m.inputs(), partitions);
    try {
      measure(jsc, m, partitions, mode, config, data, quiet, indirect, warmUp);
    } finally {
      data.unpersist();
    }
  }

  private static void measure(JavaSparkContext jsc, Model m, int partitions, String mode,
      TrainingConfig config, Dataset data, PrintStream quiet, AtomicLong indirect,
      boolean warmUp) {
    ModelSpec spec = config.model().spec(m.inputs());
    float[] params = new float[spec.numParams()];
    new Network(spec).init(params, 1);
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long indirectBefore = indirect.get();
    Trainer.Result r = new Trainer(jsc, config, data, spec, quiet)
        .run(Trainer.Start.fresh(params), MetricsSink.none(), null);
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    if (warmUp) {
      return;
    }
    double n = r.steps();
    System.out.println(String.format(Locale.ROOT, "| %s | %.1fM | %d | %s | %.2f | %.2f | "
        + "%.2f | %.2f | %.1f | %.1f | %,d |", m.name(), m.params() / 1e6, partitions, mode,
        r.bytesUp() / n / 1e6, r.bytesDown() / n / 1e6, r.times().msPerStep(r.times().reduce()),
        r.times().msPerStep(r.times().broadcast()), r.times().msPerStep(r.times().total()),
        (indirect.get() - indirectBefore) / n, peak >> 20));
  }

  /** {@link #ROWS} random rows of {@code features} in [0, 1), labels 0..9, cached. */
  static Dataset randomData(JavaSparkContext jsc, int features, int partitions) {
    List<Integer> ids = new ArrayList<>();
    long[] rows = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      ids.add(p);
      rows[p] = (long) ROWS * (p + 1) / partitions - (long) ROWS * p / partitions;
    }
    JavaRDD<Block> train = jsc.parallelize(ids, partitions).map(p -> {
      int n = ROWS * (p + 1) / partitions - ROWS * p / partitions;
      SplittableRandom r = new SplittableRandom(p);
      float[] x = new float[n * features];
      float[] y = new float[n];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextDouble();
      }
      for (int i = 0; i < n; i++) {
        y[i] = r.nextInt(10);
      }
      return (Block) new DenseBlock(n, features, x, y);
    }).persist(StorageLevel.MEMORY_AND_DISK());
    train.count();
    return new Dataset(train, null, ROWS, 0, features, false, rows, 4L * ROWS * features, null,
        null);
  }
}
