package org.sparkprop.driver.train;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.core.exchange.sign.Segments;
import org.sparkprop.core.model.EvalStats;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.runtime.CompilerPriority;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.io.MetricsSink;
import org.sparkprop.driver.optim.GuardedOptimizer;
import org.sparkprop.driver.optim.NonFiniteGradientException;
import org.sparkprop.driver.optim.OptimizerState;

/**
 * The step loop: for each step, one Spark job computes the mean gradient over all partitions'
 * mini-batches at the current parameters, and the optimizer updates the parameters in place on
 * the driver. Evaluates on the test set at epoch boundaries, logs progress and metrics, and takes
 * checkpoints. The loop's state lives in one {@link RunState}, so a run started from a
 * checkpoint ({@link Start}) continues exactly as the run that wrote it would have.
 */
public final class Trainer {
  /** What a finished run returns. */
  public record Result(float[] params, long steps, double trainSeconds, double samplesPerSecond,
      List<EvalPoint> evaluations, double lastLoss, StepTimes times, List<StepTimes> epochTimes,
      long bytesUp, long bytesDown, double checkpointSeconds) {

    /** The last evaluation, or null without a test set. */
    public EvalPoint finalEvaluation() {
      return evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    }
  }

  /**
   * Where a run begins: the loop's state, and for a resumed run the optimizer's and the
   * exchange's exported state and each partition's executor state (null where there is none).
   */
  public record Start(RunState state, OptimizerState optimizer, long skippedSteps,
      ExchangeState exchange, ExecutorStates executorState) {

    /** A new run from {@code params} (updated in place). */
    public static Start fresh(float[] params) {
      return new Start(RunState.start(params), null, 0, null, null);
    }

    /** A new run from {@code params} whose optimizer continues from {@code optimizer}. */
    public static Start warm(float[] params, OptimizerState optimizer) {
      return new Start(RunState.start(params), optimizer, 0, null, null);
    }
  }

  /** Consecutive skipped (non-finite) steps after which training stops as diverged. */
  public static final int MAX_CONSECUTIVE_SKIPS = 20;

  private final JavaSparkContext jsc;
  private final TrainingConfig config;
  private final Dataset data;
  private final ModelSpec spec;
  private final PrintStream console;
  private boolean progressBar;
  private final GuardedOptimizer optimizer;
  private final String runId = java.util.UUID.randomUUID().toString();

  /**
   * Prepares a run: builds the optimizer, its schedule over this run's steps, clipping and the
   * non-finite policy.
   *
   * @throws org.sparkprop.driver.config.ConfigProblems if the schedule does not fit the run
   *     (e.g. warm-up longer than the run)
   */
  public Trainer(JavaSparkContext jsc, TrainingConfig config, Dataset data, ModelSpec spec,
      PrintStream console) {
    this.jsc = jsc;
    this.config = config;
    this.data = data;
    this.spec = spec;
    this.console = console;
    this.optimizer = new GuardedOptimizer(
        config.optimizer().create(spec.numParams(), decayMask(),
        org.sparkprop.driver.optim.Tensors.of(spec.layout())), config.schedule(totalSteps()),
        config.clipping(), config.nonFinitePolicy());
  }

  /**
   * A live progress bar on the console instead of a line per log window (for a terminal; the
   * metrics and the evaluation lines are the same).
   */
  public Trainer showProgressBar(boolean on) {
    this.progressBar = on;
    return this;
  }

  /** Rows per step over all partitions. */
  public long globalBatch() {
    return globalBatch(config, data.trainRows());
  }

  /** Steps of the whole run: enough to see {@code epochs} times the training rows. */
  public long totalSteps() {
    return totalSteps(config, data.trainRows());
  }

  /** Rows per step of {@code config} on {@code trainRows} training rows. */
  public static long globalBatch(TrainingConfig config, long trainRows) {
    int b = config.train().batchSize();
    return b == TrainingConfig.FULL_BATCH ? trainRows : Math.min(b, trainRows);
  }

  /** Steps of a run of {@code config} on {@code trainRows} training rows. */
  public static long totalSteps(TrainingConfig config, long trainRows) {
    return (long) Math.ceil(
        config.train().epochs() * trainRows / globalBatch(config, trainRows) - 1e-9);
  }

  /**
   * Checks that this run can start from {@code start}: its parameter count, and an optimizer
   * state (if any) of this run's optimizer with arrays of the right names and lengths.
   *
   * @throws IllegalArgumentException saying what does not fit
   */
  public void check(Start start) {
    if (start.state().params().length != spec.numParams()) {
      throw new IllegalArgumentException("the start has " + start.state().params().length
          + " parameters, the model " + spec.describe() + " has " + spec.numParams());
    }
    if (start.optimizer() != null) {
      config.optimizer().create(spec.numParams(), decayMask(),
        org.sparkprop.driver.optim.Tensors.of(spec.layout())).importState(start.optimizer());
    }
    if (start.exchange() != null) {
      exchange(null, config.exchange()).importState(start.exchange());
    }
    if (start.executorState() != null
        && start.executorState().partitions() != data.numPartitions()) {
      throw new IllegalArgumentException("the executor state has "
          + start.executorState().partitions() + " partitions, the data " + data.numPartitions());
    }
  }

  /** The log line of a run whose steps go through the tree: what it does, and why. */
  private String treeNote(String what, TrainingConfig.Reduce reduce) {
    return String.format(java.util.Locale.ROOT, "sparkprop: %d partitions x %,d parameters: %s"
        + " on the executors in %d groups, the driver gets %d results a step, not %d"
        + " (reduce.mode = %s, reduce.direct_max_mb = %d)", data.numPartitions(),
        spec.numParams(), what, reduce.groups(), reduce.groups(), data.numPartitions(),
        reduce.mode(), reduce.directMaxMb());
  }

  /**
   * Native (BLAS/OpenMP) threads per task: {@code spark.native_threads}, else {@code
   * spark.task.cpus}. Part of what makes results bit for bit the same.
   */
  public int nativeThreads() {
    return config.spark().nativeThreads() > 0 ? config.spark().nativeThreads()
        : jsc.getConf().getInt("spark.task.cpus", 1);
  }

  /**
   * Trains a new run from {@code params} (updated in place), without checkpoints.
   *
   * @throws NonFiniteGradientException if a step's loss or gradient is NaN/Inf and
   *     {@code gradient.on_non_finite = fail}; params are untouched
   */
  public Result run(float[] params, MetricsSink metrics) {
    return run(Start.fresh(params), metrics, null);
  }

  /**
   * Trains from {@code start} to the run's last step, taking checkpoints through {@code
   * checkpoints} (null: none).
   *
   * @throws NonFiniteGradientException as {@link #run(float[], MetricsSink)}
   * @throws IllegalArgumentException if the start's optimizer or exchange state does not fit
   */
  public Result run(Start start, MetricsSink metrics, Checkpointer checkpoints) {
    if (start.optimizer() != null) {
      optimizer.optimizer().importState(start.optimizer());
      optimizer.restoreSkippedSteps(start.skippedSteps());
    }
    boolean fullBatch = config.train().batchSize() == TrainingConfig.FULL_BATCH;
    int nativeThreads = nativeThreads();
    TrainingConfig.Exchange ex = config.exchange();
    TrainingConfig.Testing testing = config.testing();
    StepSettings settings = new StepSettings(spec, config.run().seed(), (int) globalBatch(),
        data.numPartitions(), fullBatch, nativeThreads, testing.failTaskAtStep(),
        testing.failTaskPartition(), ex.mode(), runId, ex.signMomentum(),
        testing.dropStateAtStep(), testing.failAfterStateWrite(), config.spark().jitNice());
    CompilerPriority.lower(config.spark().jitNice());
    try (RunLog log = new RunLog(console, metrics, spec, config.train().epochs(),
        ex.mode() != ExchangeMode.DENSE);
        StepRunner runner = new StepRunner(jsc, data.train(), settings, log::note)) {
      if (progressBar) {
        log.showBar(totalSteps(), start.state().step);
      }
      TrainingConfig.Reduce reduce = config.reduce();
      boolean denseSteps = ex.mode() == ExchangeMode.DENSE || ex.mode().isOnebit();
      if (denseSteps && reduce.tree(data.numPartitions(), spec.numParams())) {
        runner.sumThroughTree(reduce.groups());
        log.note(treeNote("dense gradients are summed", reduce));
      }
      if (ex.mode() != ExchangeMode.DENSE
          && reduce.signTree(data.numPartitions(), spec.numParams())) {
        runner.signsThroughTree(reduce.groups());
        log.note(treeNote("sign payloads are decoded", reduce));
      }
      try {
        Exchange exchange = exchange(runner, ex);
        if (start.exchange() != null) {
          exchange.importState(start.exchange());
        }
        if (start.executorState() != null) {
          try {
            runner.restoreExecutorState(start.executorState());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
        return loop(runner, exchange, start.state(), fullBatch, log, checkpoints);
      } finally {
        if (ex.mode() != ExchangeMode.DENSE) {
          clearQuietly(runner);
        }
      }
    }
  }

  /** Drops this run's executor state, also after a failed run; a failure here is only logged. */
  private void clearQuietly(StepRunner runner) {
    try {
      runner.clearExecutorState(runId);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Trainer.class).warn(
          "could not clear the executor state of run {}: {}", runId, e.toString());
    }
  }

  private Result loop(StepRunner runner, Exchange exchange, RunState s, boolean fullBatch,
      RunLog log, Checkpointer checkpoints) {
    long steps = totalSteps();
    long batch = globalBatch();
    long upBefore = s.bytesUp;
    long downBefore = s.bytesDown;
    long checkpointNanos = 0;
    s.loggedTimes = s.times;
    while (s.step < steps) {
      long t = s.step;
      jsc.setJobDescription(String.format(java.util.Locale.ROOT, "sparkprop step %d/%d",
          t + 1, steps));
      long t0 = System.nanoTime();
      Exchange.StepReport outcome = exchange.step(t, s.params);
      long elapsed = System.nanoTime() - t0;
      long bcast = runner.lastBroadcastNanos;
      long job = runner.lastJobNanos;
      s.times = s.times.plus(new StepTimes(1, bcast, job, outcome.computeNanos(),
          outcome.reduceNanos(), Math.max(0, elapsed - bcast - job), elapsed));
      s.rowsSeen += outcome.count();
      s.stateRestarts += outcome.stateRestarts();
      if (outcome.applied()) {
        s.lossSinceLog += outcome.loss();
        s.stepsSinceLog++;
        s.lastLoss = outcome.loss();
        s.consecutiveSkips = 0;
      } else if (++s.consecutiveSkips >= MAX_CONSECUTIVE_SKIPS || fullBatch) {
        // Full batch: the parameters did not move, so the next step would be the same.
        throw NonFiniteGradientException.diverged(t + 1, s.consecutiveSkips);
      }
      s.step = t + 1;
      double epoch = (double) s.step * batch / data.trainRows();
      boolean last = s.step == steps;
      log.tick(s.step);
      if (s.step % config.train().logEvery() == 0 || last) {
        countBytes(s, runner, upBefore, downBefore);
        logWindow(log, s, steps, epoch, outcome, exchange.skippedSteps(),
            runner.tasksByExecutor());
      }
      int epochNow = (int) Math.floor(epoch + 1e-9);
      boolean boundary = epochNow > s.epochsDone;
      if (boundary || last) {
        s.epochTimes.add(s.times.since(s.epochStart));
        s.epochStart = s.times;
        int every = config.train().evalEveryEpochs();
        if (data.test() != null && (last || (every > 0 && epochNow % every == 0))) {
          jsc.setJobDescription("sparkprop evaluate epoch " + epochNow);
          EvalStats stats = runner.evaluate(data.test(), s.step, s.params);
          EvalPoint point = new EvalPoint(epochNow, s.step, s.times.total() / 1e9, stats);
          s.evals.add(point);
          log.eval(point, epoch);
        }
      }
      s.epochsDone = epochNow;
      if (checkpoints != null && checkpoints.due(s.step, boundary ? epochNow : 0, last)) {
        countBytes(s, runner, upBefore, downBefore);
        long c0 = System.nanoTime();
        jsc.setJobDescription("sparkprop checkpoint at step " + s.step);
        checkpoints.save(s, optimizer, exchange, runner, log);
        checkpointNanos += System.nanoTime() - c0;
      }
    }
    jsc.setJobDescription(null);
    countBytes(s, runner, upBefore, downBefore);
    double seconds = s.times.total() / 1e9;
    return new Result(s.params, s.step, seconds, s.rowsSeen / seconds, List.copyOf(s.evals),
        s.lastLoss, s.times, List.copyOf(s.epochTimes), s.bytesUp, s.bytesDown,
        checkpointNanos / 1e9);
  }

  /**
   * Brings the run's byte totals up to date (it waits for Spark's listener events, so only at
   * log lines, checkpoints and the end, not every step).
   */
  private static void countBytes(RunState s, StepRunner runner, long upBefore, long downBefore) {
    s.bytesUp = upBefore + runner.bytesUp();
    s.bytesDown = downBefore + runner.bytesDown();
  }

  /** Logs the steps since the last log line and starts a new window. */
  private static void logWindow(RunLog log, RunState s, long steps, double epoch,
      Exchange.StepReport last, long skipped, Map<String, Long> tasksByExecutor) {
    double seconds = s.times.total() / 1e9;
    long window = s.step - s.loggedStep;
    log.step(new RunLog.Window(s.step, steps, epoch,
        s.stepsSinceLog > 0 ? s.lossSinceLog / s.stepsSinceLog : Double.NaN, last.lr(),
        s.rowsSeen / seconds, (steps - s.step) * (seconds / s.step), last.gradNorm(), skipped,
        (s.bytesUp - s.loggedUp) / window, (s.bytesDown - s.loggedDown) / window,
        s.stateRestarts, seconds, s.times.since(s.loggedTimes), tasksByExecutor));
    s.loggedStep = s.step;
    s.loggedTimes = s.times;
    s.loggedUp = s.bytesUp;
    s.loggedDown = s.bytesDown;
    s.lossSinceLog = 0;
    s.stepsSinceLog = 0;
  }

  private Exchange exchange(StepRunner runner, TrainingConfig.Exchange ex) {
    Segments segments = Segments.of(spec.layout());
    switch (ex.mode()) {
      case DENSE:
        return new DenseExchange(runner, optimizer, spec.numParams());
      case SIGN_EF:
      case SIGN_MAJORITY:
        return new SignExchange(runner, optimizer, ex.mode(), segments, ex.signMomentum());
      default:
        return new OnebitExchange(runner, optimizer, ex.mode(), ex.freezeStep(),
            ex.denominatorFloor(), segments);
    }
  }

  private boolean[] decayMask() {
    if (config.decayBiases()) {
      return null;
    }
    boolean[] bias = spec.layout().biasMask();
    boolean[] mask = new boolean[bias.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = !bias[i];
    }
    return mask;
  }
}
