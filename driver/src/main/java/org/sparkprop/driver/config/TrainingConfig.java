package org.sparkprop.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.sparkprop.core.model.Activation;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.OutputLoss;
import org.sparkprop.driver.optim.GradientClipping;
import org.sparkprop.driver.optim.LrSchedule;
import org.sparkprop.driver.optim.NonFiniteGradientPolicy;
import org.sparkprop.driver.optim.OptimizerConfig;
import org.sparkprop.driver.optim.Optimizers;
import org.sparkprop.driver.optim.AdamConfig;
import org.sparkprop.driver.optim.RmsPropConfig;
import org.sparkprop.driver.train.ExchangeMode;

/**
 * A validated training configuration: typed views of each section of conf/reference.conf.
 * Build it with {@link #from}; every problem in the input is reported at once.
 */
public final class TrainingConfig {
  /** Value of {@code train.batch_size} meaning "every row at every step". */
  public static final int FULL_BATCH = -1;

  /** Section {@code run}. */
  public record Run(String name, String dirRoot, long seed) {}

  /**
   * Section {@code data}.
   *
   * @param labels {@code data.labels}: auto, index, one_based, signed, or "list" with {@code
   *     labelList} holding the labels in class order
   * @param featuresCol table formats: the features column (ML Vector or array of numbers)
   * @param labelCol table formats: the label column
   * @param weightCol table formats: the column of row weights in the training loss, or ""
   */
  public record Data(String format, String train, String test, double testFraction,
      int numFeatures, int partitions, int blockRows, boolean oneBased, char csvDelimiter,
      boolean csvHeader, int csvLabelColumn, boolean mnistFetch, String labels,
      double[] labelList, String featuresCol, String labelCol, String weightCol) {

    /** The same settings with another feature count. */
    public Data withNumFeatures(int n) {
      return new Data(format, train, test, testFraction, n, partitions, blockRows, oneBased,
          csvDelimiter, csvHeader, csvLabelColumn, mnistFetch, labels, labelList, featuresCol,
          labelCol, weightCol);
    }

    /** The same settings with another partition count. */
    public Data withPartitions(int n) {
      return new Data(format, train, test, testFraction, numFeatures, n, blockRows, oneBased,
          csvDelimiter, csvHeader, csvLabelColumn, mnistFetch, labels, labelList, featuresCol,
          labelCol, weightCol);
    }

    /** The same settings with other paths. */
    public Data withPaths(String trainPath, String testPath) {
      return new Data(format, trainPath, testPath, testFraction, numFeatures, partitions,
          blockRows, oneBased, csvDelimiter, csvHeader, csvLabelColumn, mnistFetch, labels,
          labelList, featuresCol, labelCol, weightCol);
    }

    /** True when rows carry weights ({@code data.weight_col} set). */
    public boolean weighted() {
      return !weightCol.isEmpty();
    }

    /** True for the formats read as a DataFrame: parquet, orc, table. */
    public boolean tabular() {
      return format.equals("parquet") || format.equals("orc") || format.equals("table");
    }
  }

  /** Section {@code model}; the input dimension may come from the data (0 = infer). */
  public record Model(ModelSpec.Kind type, int inputDim, int[] hidden, Activation activation,
      int outputs, OutputLoss loss) {

    /** The model for data with {@code dataFeatures} features. */
    public ModelSpec spec(int dataFeatures) {
      int d = inputDim > 0 ? inputDim : dataFeatures;
      switch (type) {
        case LINEAR_REGRESSION:
          return ModelSpec.linearRegression(d);
        case LOGISTIC_REGRESSION:
          return ModelSpec.logisticRegression(d);
        case SOFTMAX_REGRESSION:
          return ModelSpec.softmaxRegression(d, outputs);
        default:
          return ModelSpec.mlp(d, hidden, activation, outputs, loss);
      }
    }
  }

  /** Section {@code train}; batchSize is {@link #FULL_BATCH} for full-batch training. */
  public record Train(double epochs, int batchSize, int logEvery, int evalEveryEpochs) {}

  /** Key {@code exchange} and section {@code sign}. */
  public record Exchange(ExchangeMode mode, double signMomentum, long freezeStep,
      double denominatorFloor) {}

  /**
   * Section {@code reduce}: how a step's partition gradients (or sign payloads) are summed.
   * {@code direct}: every partition's gradient to the driver, merged there in partition order;
   * {@code tree}: summed (sign payloads: decoded) first in {@code groups} fixed groups of
   * consecutive partitions on the executors (a shuffle), the group results merged on the driver
   * in order; {@code auto}: the tree when the direct way would bring more than {@code
   * directMaxMb} MB of gradients (or signs) into the driver a step. Decided by the partition
   * count and the model's size alone, never by placement, so a run has the same bits on any
   * executors.
   */
  public record Reduce(String mode, int groups, long directMaxMb) {
    /** Whether a run with {@code partitions} partitions of a model's gradients sums in a tree. */
    public boolean tree(int partitions, long numParams) {
      return grouped(partitions, (double) partitions * numParams * Float.BYTES);
    }

    /**
     * Whether a run with {@code partitions} partitions decodes its sign steps' payloads in a
     * tree: as for {@link #tree}, with one bit per parameter and partition in the direct way.
     */
    public boolean signTree(int partitions, long numParams) {
      return grouped(partitions, (double) partitions * numParams / Byte.SIZE);
    }

    private boolean grouped(int partitions, double directBytes) {
      return partitions > groups && (mode.equals("tree") || (mode.equals("auto")
          && directBytes > directMaxMb * 1e6));
    }
  }

  /**
   * Section {@code spark}.
   *
   * @param jitNice nice value for the JIT compiler threads of every JVM of the run; 0 = as is
   */
  public record Spark(String appName, int nativeThreads, int jitNice) {}

  /** Section {@code checkpoint}; an interval of 0 is off. */
  public record Checkpoint(int everyEpochs, long everySteps, int keepLast) {
    /** True when any interval is on. */
    public boolean enabled() {
      return everyEpochs > 0 || everySteps > 0;
    }
  }

  /** Section {@code testing}. */
  public record Testing(long failTaskAtStep, int failTaskPartition, long dropStateAtStep,
      boolean failAfterStateWrite) {}

  private final Config resolved;
  private final Run run;
  private final Data data;
  private final Model model;
  private final Train train;
  private final OptimizerConfig optimizer;
  private final boolean decayBiases;
  private final Config scheduleSection;
  private final GradientClipping clipping;
  private final NonFiniteGradientPolicy nonFinitePolicy;
  private final Exchange exchange;
  private final Reduce reduce;
  private final Spark spark;
  private final Checkpoint checkpoint;
  private final Testing testing;

  private TrainingConfig(Config resolved, Run run, Data data, Model model, Train train,
      OptimizerConfig optimizer, boolean decayBiases, GradientClipping clipping,
      NonFiniteGradientPolicy nonFinitePolicy, Exchange exchange, Reduce reduce, Spark spark,
      Checkpoint checkpoint, Testing testing) {
    this.reduce = reduce;
    this.resolved = resolved;
    this.run = run;
    this.data = data;
    this.model = model;
    this.train = train;
    this.optimizer = optimizer;
    this.decayBiases = decayBiases;
    this.scheduleSection = resolved.getConfig(LrSchedule.SECTION);
    this.clipping = clipping;
    this.nonFinitePolicy = nonFinitePolicy;
    this.exchange = exchange;
    this.spark = spark;
    this.checkpoint = checkpoint;
    this.testing = testing;
  }

  /**
   * Validates {@code user} (the user's own keys, see {@link ConfigLoader#userLayer}) on top of
   * the reference.
   *
   * @throws ConfigProblems listing every unknown key and every bad value
   */
  public static TrainingConfig from(Config user) {
    Config reference = ConfigLoader.reference();
    Config c = ConfigLoader.resolve(user);
    List<String> problems = new ArrayList<>();
    Reader r = new Reader(c, problems);

    String optimizerName = r.string("optimizer.name");
    Set<String> optimizerKeys = new TreeSet<>(Set.of("name", "decay_biases"));
    if (optimizerName != null && Optimizers.names().contains(optimizerName)) {
      optimizerKeys.addAll(Optimizers.keysFor(optimizerName));
    }
    String scheduleType = r.string("lr_schedule.type");
    Set<String> scheduleKeys = new TreeSet<>(Set.of("type", "warmup_steps"));
    if (scheduleType != null && LrSchedule.types().contains(scheduleType)) {
      scheduleKeys.addAll(LrSchedule.keysFor(scheduleType));
    }
    Set<String> candidates = new TreeSet<>(KeyCheck.leafKeys(reference));
    optimizerKeys.forEach(k -> candidates.add("optimizer." + k));
    scheduleKeys.forEach(k -> candidates.add("lr_schedule." + k));
    KeyCheck.unknownKeys(user, key -> {
      if (key.startsWith("optimizer.")) {
        return optimizerKeys.contains(key.substring("optimizer.".length()));
      }
      if (key.startsWith("lr_schedule.")) {
        return scheduleKeys.contains(key.substring("lr_schedule.".length()));
      }
      return reference.hasPath(key);
    }, candidates, problems);

    Run run = new Run(r.string("run.name"), r.string("run.dir_root"), r.longValue("run.seed"));
    Data data = readData(r);
    Model model = readModel(r);
    Train train = readTrain(r);
    OptimizerConfig optimizer = Optimizers.fromConfig(c.getConfig("optimizer"), problems);
    if (optimizer != null && optimizer.requiresFullBatch() && train != null
        && train.batchSize() != FULL_BATCH) {
      problems.add("optimizer.name: " + optimizer.name() + " needs full-batch training: set "
          + "train.batch_size = full (Rprop's sign logic is meaningless on noisy mini-batches)");
    }
    if (optimizer != null) {
      // The run's step count is known once the data is read; here the schedule is checked alone.
      LrSchedule schedule = LrSchedule.fromConfig(c.getConfig(LrSchedule.SECTION), -1,
          optimizer.lr(), problems);
      if (schedule != null) {
        Optimizers.checkCombination(optimizer, schedule, problems);
      }
    }
    boolean decayBiases = r.bool("optimizer.decay_biases");
    GradientClipping clipping = GradientClipping.fromConfig(
        c.getConfig(GradientClipping.SECTION), problems);
    NonFiniteGradientPolicy policy = NonFiniteGradientPolicy.fromConfig(
        c.getConfig(GradientClipping.SECTION), problems);
    Exchange exchange = readExchange(r, optimizer);
    String reduceMode = r.oneOf("reduce.mode", "auto", "direct", "tree");
    int groups = r.intAtLeast("reduce.groups", 1);
    int directMaxMb = r.intAtLeast("reduce.direct_max_mb", 1);
    Reduce reduce = new Reduce(reduceMode == null ? "auto" : reduceMode, groups, directMaxMb);
    int jitNice = r.intAtLeast("spark.jit_nice", 0);
    if (jitNice > 19) {
      r.problem("spark.jit_nice", "must be a nice value from 0 to 19, got " + jitNice);
    }
    Spark spark = new Spark(r.string("spark.app_name"), r.intAtLeast("spark.native_threads", 0),
        jitNice);
    Checkpoint checkpoint = new Checkpoint(r.intAtLeast("checkpoint.every_epochs", 0),
        r.intAtLeast("checkpoint.every_steps", 0), r.intAtLeast("checkpoint.keep_last", 1));
    Testing testing = new Testing(r.longValue("testing.fail_task_at_step"),
        r.intAtLeast("testing.fail_task_partition", 0),
        r.longValue("testing.drop_state_at_step"), r.bool("testing.fail_after_state_write"));
    if (!problems.isEmpty()) {
      throw new ConfigProblems(problems);
    }
    return new TrainingConfig(c, run, data, model, train, optimizer, decayBiases, clipping,
        policy, exchange, reduce, spark, checkpoint, testing);
  }

  private static Exchange readExchange(Reader r, OptimizerConfig optimizer) {
    String name = r.oneOf("exchange", ExchangeMode.names().toArray(new String[0]));
    ExchangeMode mode = name == null ? ExchangeMode.DENSE : ExchangeMode.fromName(name);
    double momentum = r.doubleValue("sign.momentum");
    if (!(momentum >= 0 && momentum < 1)) {
      r.problem("sign.momentum", "must be in [0, 1), got " + momentum);
    }
    long freeze = r.longValue("sign.freeze_step");
    if (freeze < 1) {
      r.problem("sign.freeze_step", "must be >= 1 (dense warm-up steps), got " + freeze);
    }
    double floor = r.doubleValue("sign.denominator_floor");
    if (!(floor >= 0 && floor < 1)) {
      r.problem("sign.denominator_floor", "must be in [0, 1), got " + floor);
    }
    if (optimizer == null || name == null) {
      return new Exchange(mode, momentum, freeze, floor);
    }
    String why = null;
    double signMomentum = momentum;
    switch (mode) {
      case SIGN_MAJORITY:
        if (!"sign".equals(optimizer.name())) {
          why = "sign-majority steps theta -= lr * sign(vote sum): set optimizer.name = sign";
        } else if (((org.sparkprop.driver.optim.SignConfig) optimizer).weightDecay() != 0) {
          // sign(vote + wd*theta): a tied vote (0) would step every such entry by lr toward 0.
          why = "sign-majority does not support optimizer.weight_decay (a tied vote would"
              + " become a full step toward zero): set it to 0";
        }
        break;
      case ONEBIT_ADAM:
        if (!(optimizer instanceof AdamConfig) || !"adam".equals(optimizer.name())) {
          why = "onebit-adam needs optimizer.name = adam";
        } else {
          AdamConfig adam = (AdamConfig) optimizer;
          if (adam.amsgrad() || adam.weightDecay() != 0) {
            why = "onebit-adam supports plain Adam only: amsgrad = false, weight_decay = 0";
          }
          signMomentum = adam.beta1();
        }
        break;
      case ONEBIT_RMSPROP:
        if (!(optimizer instanceof RmsPropConfig)) {
          why = "onebit-rmsprop needs optimizer.name = rmsprop";
        } else {
          RmsPropConfig rms = (RmsPropConfig) optimizer;
          if (rms.centered() || rms.weightDecay() != 0) {
            why = "onebit-rmsprop supports centered = false and weight_decay = 0 only";
          }
          signMomentum = rms.momentum();
        }
        break;
      default:
        break;
    }
    if (why != null) {
      r.problem("exchange", why + " (optimizer.name is " + optimizer.name() + ")");
    }
    if (mode != ExchangeMode.SIGN_MAJORITY && momentum != 0) {
      r.problem("sign.momentum", "applies to exchange = sign-majority only (the 1-bit modes"
          + " take the optimizer's beta1 or momentum), got " + momentum + " with " + name);
    }
    return new Exchange(mode, signMomentum, freeze, floor);
  }

  /** The formats of {@code data.format}. */
  public static final String[] FORMATS = {"mnist", "libsvm", "csv", "parquet", "orc", "table"};

  private static Data readData(Reader r) {
    String format = r.oneOf("data.format", FORMATS);
    String trainPath = r.string("data.train");
    if (trainPath != null && trainPath.isBlank()) {
      r.problem("data.train", "is empty: set it to the training data's path"
          + ("table".equals(format) ? " (for format table: the table's name)" : ""));
    }
    double testFraction = r.doubleValue("data.test_fraction");
    if (!(testFraction >= 0 && testFraction < 1)) {
      r.problem("data.test_fraction", "must be in [0, 1), got " + testFraction);
    }
    String delimiter = r.string("data.csv.delimiter");
    if (delimiter != null && delimiter.length() != 1) {
      r.problem("data.csv.delimiter", "must be one character, got '" + delimiter + "'");
    }
    int labelColumn = r.intValue("data.csv.label_column");
    if (labelColumn < -1) {
      r.problem("data.csv.label_column", "must be >= 0, or -1 for the last column");
    }
    String labels = "auto";
    double[] labelList = null;
    if (r.config.getValue("data.labels").valueType() == ConfigValueType.LIST) {
      try {
        labelList = r.config.getDoubleList("data.labels").stream().mapToDouble(Double::doubleValue)
            .toArray();
        org.sparkprop.driver.data.LabelMap.of(labelList);
        labels = "list";
      } catch (ConfigException | IllegalArgumentException e) {
        r.problem("data.labels", "a list of labels must hold distinct numbers in class order, "
            + "e.g. [-1, 1]" + (e instanceof IllegalArgumentException ? ": " + e.getMessage()
            : ""));
      }
    } else {
      String l = r.oneOf("data.labels", "auto", "index", "one_based", "signed");
      labels = l == null ? "auto" : l;
    }
    String featuresCol = r.string("data.features_col");
    String labelCol = r.string("data.label_col");
    String weightCol = r.string("data.weight_col");
    if (weightCol != null && !weightCol.isEmpty() && format != null
        && !List.of("parquet", "orc", "table").contains(format)) {
      r.problem("data.weight_col", "row weights are read from tables: data.format parquet, orc "
          + "or table, not " + format + " (remove data.weight_col, or store the data as a table)");
    }
    return new Data(format, trainPath, r.string("data.test"), testFraction,
        r.intAtLeast("data.num_features", 0), r.intAtLeast("data.partitions", 0),
        r.intAtLeast("data.block_rows", 1), r.bool("data.libsvm.one_based"),
        delimiter == null || delimiter.isEmpty() ? ',' : delimiter.charAt(0),
        r.bool("data.csv.header"), labelColumn, r.bool("data.mnist.fetch"), labels, labelList,
        featuresCol, labelCol, weightCol == null ? "" : weightCol);
  }

  private static Model readModel(Reader r) {
    String typeName = r.oneOf("model.type",
        "linear_regression", "logistic_regression", "softmax_regression", "mlp");
    ModelSpec.Kind type = typeName == null ? null : ModelSpec.Kind.valueOf(typeName.toUpperCase(
        java.util.Locale.ROOT));
    int[] hidden = r.positiveInts("model.hidden");
    String act = r.oneOf("model.activation", "relu", "leaky_relu", "tanh", "sigmoid", "identity");
    String loss = r.oneOf("model.loss", "softmax_cross_entropy", "mse");
    int outputs = r.intAtLeast("model.outputs", 1);
    if (type == ModelSpec.Kind.SOFTMAX_REGRESSION && outputs < 2) {
      r.problem("model.outputs", "softmax_regression needs at least 2 classes, got " + outputs);
    }
    if (type == ModelSpec.Kind.MLP && "softmax_cross_entropy".equals(loss) && outputs < 2) {
      r.problem("model.outputs", "an mlp with softmax_cross_entropy needs at least 2 outputs");
    }
    return new Model(type, r.intAtLeast("model.input_dim", 0), hidden,
        act == null ? null : Activation.fromName(act), outputs,
        loss == null ? null : OutputLoss.valueOf(loss.toUpperCase(java.util.Locale.ROOT)));
  }

  private static Train readTrain(Reader r) {
    double epochs = r.doubleValue("train.epochs");
    if (!(epochs > 0)) {
      r.problem("train.epochs", "must be > 0, got " + epochs);
    }
    int batch = FULL_BATCH;
    if (r.config.getValue("train.batch_size").valueType() == ConfigValueType.STRING
        && "full".equals(r.config.getString("train.batch_size"))) {
      batch = FULL_BATCH;
    } else {
      batch = r.intAtLeast("train.batch_size", 1);
    }
    return new Train(epochs, batch, r.intAtLeast("train.log_every", 1),
        r.intAtLeast("train.eval_every_epochs", 0));
  }

  /** This configuration with {@code data.partitions} set to {@code partitions}. */
  public TrainingConfig withPartitions(int partitions) {
    if (partitions == data.partitions()) {
      return this;
    }
    Data d = data.withPartitions(partitions);
    Config c = resolved.withValue("data.partitions",
        com.typesafe.config.ConfigValueFactory.fromAnyRef(partitions));
    return new TrainingConfig(c, run, d, model, train, optimizer, decayBiases, clipping,
        nonFinitePolicy, exchange, reduce, spark, checkpoint, testing);
  }

  /**
   * This configuration with the data paths {@code trainPath} and {@code testPath} (the same
   * paths made absolute: executors do not share the driver's working directory).
   */
  public TrainingConfig withDataPaths(String trainPath, String testPath) {
    if (trainPath.equals(data.train()) && testPath.equals(data.test())) {
      return this;
    }
    Data d = data.withPaths(trainPath, testPath);
    Config c = resolved
        .withValue("data.train", com.typesafe.config.ConfigValueFactory.fromAnyRef(trainPath))
        .withValue("data.test", com.typesafe.config.ConfigValueFactory.fromAnyRef(testPath));
    return new TrainingConfig(c, run, d, model, train, optimizer, decayBiases, clipping,
        nonFinitePolicy, exchange, reduce, spark, checkpoint, testing);
  }

  /** The resolved configuration, every key present. */
  public Config resolved() {
    return resolved;
  }

  /** The resolved configuration as HOCON text, for the run directory. */
  public String render() {
    return resolved.root().render(ConfigRenderOptions.defaults().setOriginComments(false)
        .setJson(false).setFormatted(true));
  }

  /** SHA-256 of the rendered configuration (stored in model headers). */
  public String hash() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(render().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Run run() {
    return run;
  }

  public Data data() {
    return data;
  }

  public Model model() {
    return model;
  }

  public Train train() {
    return train;
  }

  public OptimizerConfig optimizer() {
    return optimizer;
  }

  /** False when weight decay must skip bias entries ({@code optimizer.decay_biases}). */
  public boolean decayBiases() {
    return decayBiases;
  }

  /** The learning-rate schedule for a run of {@code totalSteps} steps, bound to the base lr. */
  public LrSchedule schedule(long totalSteps) {
    List<String> problems = new ArrayList<>();
    LrSchedule s = LrSchedule.fromConfig(scheduleSection, totalSteps, optimizer.lr(), problems);
    if (s == null) {
      throw new ConfigProblems(problems);
    }
    return s;
  }

  /** The gradient exchange mode and its settings. */
  public Exchange exchange() {
    return exchange;
  }

  public Reduce reduce() {
    return reduce;
  }

  public GradientClipping clipping() {
    return clipping;
  }

  public NonFiniteGradientPolicy nonFinitePolicy() {
    return nonFinitePolicy;
  }

  public Spark spark() {
    return spark;
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  public Testing testing() {
    return testing;
  }

  /** Typed reads that record a problem (with the key) instead of throwing. */
  private static final class Reader {
    final Config config;
    final List<String> problems;

    Reader(Config config, List<String> problems) {
      this.config = config;
      this.problems = problems;
    }

    void problem(String key, String what) {
      String where = config.hasPath(key) ? KeyCheck.where(config.getValue(key).origin()) : "";
      if (where.contains("reference.conf")) {
        where = "";
      }
      problems.add(where + key + ": " + what);
    }

    String string(String key) {
      try {
        return config.getString(key);
      } catch (ConfigException e) {
        problem(key, "must be a string");
        return null;
      }
    }

    boolean bool(String key) {
      try {
        return config.getBoolean(key);
      } catch (ConfigException e) {
        problem(key, "must be true or false");
        return false;
      }
    }

    int intValue(String key) {
      try {
        return config.getInt(key);
      } catch (ConfigException e) {
        problem(key, "must be an integer");
        return 0;
      }
    }

    long longValue(String key) {
      try {
        return config.getLong(key);
      } catch (ConfigException e) {
        problem(key, "must be an integer");
        return 0;
      }
    }

    double doubleValue(String key) {
      try {
        return config.getDouble(key);
      } catch (ConfigException e) {
        problem(key, "must be a number");
        return Double.NaN;
      }
    }

    int intAtLeast(String key, int min) {
      try {
        int v = config.getInt(key);
        if (v < min) {
          problem(key, "must be >= " + min + ", got " + v);
        }
        return v;
      } catch (ConfigException e) {
        problem(key, "must be an integer >= " + min);
        return min;
      }
    }

    int[] positiveInts(String key) {
      try {
        List<Integer> list = config.getIntList(key);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = list.get(i);
          if (out[i] < 1) {
            problem(key, "layer widths must be >= 1, got " + out[i]);
          }
        }
        return out;
      } catch (ConfigException e) {
        problem(key, "must be a list of positive integers, e.g. [256]");
        return new int[0];
      }
    }

    String oneOf(String key, String... allowed) {
      String v = string(key);
      if (v == null) {
        return null;
      }
      for (String a : allowed) {
        if (a.equals(v)) {
          return v;
        }
      }
      problem(key, "'" + v + "' is not one of " + String.join(", ", allowed)
          + DidYouMean.hint(v, java.util.Arrays.asList(allowed)));
      return null;
    }
  }
}
