package org.sparkprop.driver.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.core.exchange.sign.Segments;
import org.sparkprop.core.model.EvalStats;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.Dataset;
import org.sparkprop.driver.io.MetricsSink;
import org.sparkprop.driver.optim.GuardedOptimizer;
import org.sparkprop.driver.optim.NonFiniteGradientException;

/**
 * The step loop: for each step, one Spark job computes the mean gradient over all partitions'
 * mini-batches at the current parameters, and the optimizer updates the parameters in place on
 * the driver. Evaluates on the test set at epoch boundaries, logs progress and metrics.
 */
public final class Trainer {
  /** One evaluation on the test set. */
  public record EvalPoint(int epoch, long step, double seconds, EvalStats stats) {}

  /** Where the time of {@code steps} training steps went, summed over them (nanoseconds). */
  public record StepTimes(long steps, long broadcast, long job, long slowestCompute, long reduce,
      long optimizer, long total) {

    /** These times less {@code earlier}'s: the steps in between. */
    StepTimes since(StepTimes earlier) {
      return new StepTimes(steps - earlier.steps, broadcast - earlier.broadcast,
          job - earlier.job, slowestCompute - earlier.slowestCompute, reduce - earlier.reduce,
          optimizer - earlier.optimizer, total - earlier.total);
    }

    /** Mean milliseconds per step of one of these sums (NaN without steps). */
    public double msPerStep(long nanos) {
      return steps == 0 ? Double.NaN : nanos / 1e6 / steps;
    }
  }

  /** What a finished run returns. */
  public record Result(float[] params, long steps, double trainSeconds, double samplesPerSecond,
      List<EvalPoint> evaluations, double lastLoss, StepTimes times, List<StepTimes> epochTimes,
      long bytesUp, long bytesDown) {

    /** The last evaluation, or null without a test set. */
    public EvalPoint finalEvaluation() {
      return evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    }
  }

  /** Consecutive skipped (non-finite) steps after which training stops as diverged. */
  public static final int MAX_CONSECUTIVE_SKIPS = 20;

  private final JavaSparkContext jsc;
  private final TrainingConfig config;
  private final Dataset data;
  private final ModelSpec spec;
  private final PrintStream console;
  private final GuardedOptimizer optimizer;
  private final String runId = java.util.UUID.randomUUID().toString();
  private MetricsSink metrics = MetricsSink.none();

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
        config.optimizer().create(spec.numParams(), decayMask()), config.schedule(totalSteps()),
        config.clipping(), config.nonFinitePolicy());
  }

  /** Rows per step over all partitions. */
  public long globalBatch() {
    int b = config.train().batchSize();
    return b == TrainingConfig.FULL_BATCH ? data.trainRows() : Math.min(b, data.trainRows());
  }

  /** Steps of the whole run: enough to see {@code epochs} times the training rows. */
  public long totalSteps() {
    return (long) Math.ceil(config.train().epochs() * data.trainRows() / globalBatch() - 1e-9);
  }

  /**
   * Trains from {@code params} (updated in place) and returns the result.
   *
   * @throws NonFiniteGradientException if a step's loss or gradient is NaN/Inf and
   *     {@code gradient.on_non_finite = fail}; params are untouched
   */
  public Result run(float[] params, MetricsSink metrics) {
    this.metrics = metrics;
    boolean fullBatch = config.train().batchSize() == TrainingConfig.FULL_BATCH;
    int nativeThreads = config.spark().nativeThreads() > 0 ? config.spark().nativeThreads()
        : jsc.getConf().getInt("spark.task.cpus", 1);
    TrainingConfig.Exchange ex = config.exchange();
    StepSettings settings = new StepSettings(spec, config.run().seed(), (int) globalBatch(),
        data.numPartitions(), fullBatch, nativeThreads, config.testing().failTaskAtStep(),
        config.testing().failTaskPartition(), ex.mode(), runId, ex.signMomentum(),
        config.testing().dropStateAtStep());
    long steps = totalSteps();
    try (StepRunner runner = new StepRunner(jsc, data.train(), settings)) {
      try {
        return loop(runner, ex, settings, params, steps, fullBatch);
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

  private Result loop(StepRunner runner, TrainingConfig.Exchange ex, StepSettings settings,
      float[] params, long steps, boolean fullBatch) {
    int consecutiveSkips = 0;
    long loggedStep = 0;
    long loggedUp = 0;
    long loggedDown = 0;
    long stateRestarts = 0;
    long totalUp;
    long totalDown;
    long batch = globalBatch();
    List<EvalPoint> evals = new ArrayList<>();
    long broadcastNs = 0;
    long jobNs = 0;
    long computeNs = 0;
    long reduceNs = 0;
    long optimizerNs = 0;
    long trainNs = 0;
    double lossSinceLog = 0;
    int stepsSinceLog = 0;
    double lastLoss = Double.NaN;
    long rowsSeen = 0;
    int epochsDone = 0;
    List<StepTimes> epochTimes = new ArrayList<>();
    StepTimes epochStart = new StepTimes(0, 0, 0, 0, 0, 0, 0);
    Exchange exchange = exchange(runner, ex);
    for (long t = 0; t < steps; t++) {
      long t0 = System.nanoTime();
      Exchange.StepReport outcome = exchange.step(t, params);
      long t2 = System.nanoTime();
      double loss = outcome.loss();
      double lr = outcome.lr();
      stateRestarts += outcome.stateRestarts();
      broadcastNs += runner.lastBroadcastNanos;
      jobNs += runner.lastJobNanos;
      computeNs += outcome.computeNanos();
      reduceNs += outcome.reduceNanos();
      optimizerNs += Math.max(0, t2 - t0 - runner.lastBroadcastNanos - runner.lastJobNanos);
      trainNs += t2 - t0;
      rowsSeen += outcome.count();
      if (outcome.applied()) {
        lossSinceLog += loss;
        stepsSinceLog++;
        lastLoss = loss;
        consecutiveSkips = 0;
      } else if (++consecutiveSkips >= MAX_CONSECUTIVE_SKIPS || fullBatch) {
        // Full batch: the parameters did not move, so the next step would be the same.
        throw NonFiniteGradientException.diverged(t + 1, consecutiveSkips);
      }
      long step = t + 1;
      double epoch = (double) step * batch / data.trainRows();
      if (step % config.train().logEvery() == 0 || step == steps) {
        double samplesPerSecond = rowsSeen / (trainNs / 1e9);
        long up = runner.bytesUp();
        long down = runner.bytesDown();
        long window = step - loggedStep;
        logStep(step, steps, epoch,
            stepsSinceLog > 0 ? lossSinceLog / stepsSinceLog : Double.NaN, lr, samplesPerSecond,
            (steps - step) * (trainNs / 1e9 / step), outcome, exchange.skippedSteps(),
            (up - loggedUp) / window, (down - loggedDown) / window, stateRestarts);
        loggedStep = step;
        loggedUp = up;
        loggedDown = down;
        lossSinceLog = 0;
        stepsSinceLog = 0;
      }
      int epochNow = (int) Math.floor(epoch + 1e-9);
      boolean last = step == steps;
      if (epochNow > epochsDone || last) {
        StepTimes sofar = new StepTimes(step, broadcastNs, jobNs, computeNs, reduceNs,
            optimizerNs, trainNs);
        epochTimes.add(sofar.since(epochStart));
        epochStart = sofar;
      }
      if (data.test() != null && (epochNow > epochsDone || last)) {
        int every = config.train().evalEveryEpochs();
        if (last || (every > 0 && epochNow % every == 0)) {
          EvalStats stats = runner.evaluate(data.test(), step, params);
          EvalPoint point = new EvalPoint(epochNow, step, trainNs / 1e9, stats);
          evals.add(point);
          logEval(point, epoch);
        }
      }
      epochsDone = epochNow;
    }
    totalUp = runner.bytesUp();
    totalDown = runner.bytesDown();
    StepTimes times = new StepTimes(steps, broadcastNs, jobNs, computeNs, reduceNs, optimizerNs,
        trainNs);
    return new Result(params, steps, trainNs / 1e9, rowsSeen / (trainNs / 1e9), evals, lastLoss,
        times, List.copyOf(epochTimes), totalUp, totalDown);
  }

  private Exchange exchange(StepRunner runner, TrainingConfig.Exchange ex) {
    Segments segments = Segments.of(spec.layout());
    switch (ex.mode()) {
      case DENSE:
        return new DenseExchange(runner, optimizer, spec.numParams());
      case SIGN_EF:
      case SIGN_MAJORITY:
        return new SignExchange(runner, optimizer, ex.mode(), segments);
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

  private void logStep(long step, long steps, double epoch, double loss, double lr,
      double samplesPerSecond, double etaSeconds, Exchange.StepReport last,
      long skipped, long bytesUp, long bytesDown, long stateRestarts) {
    console.println(String.format(Locale.ROOT,
        "step %d/%d  epoch %.2f/%s  loss %.4f  lr %.2e  %,.0f samples/s  ETA %s%s",
        step, steps, epoch, trimmed(config.train().epochs()), loss, lr, samplesPerSecond,
        duration(etaSeconds), skipped > 0 ? "  skipped " + skipped : ""));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "train");
    m.put("step", step);
    m.put("epoch", round(epoch));
    m.put("loss", Double.isFinite(loss) ? loss : null);
    m.put("lr", lr);
    m.put("samples_per_s", Math.round(samplesPerSecond));
    m.put("grad_norm", Double.isFinite(last.gradNorm()) ? last.gradNorm() : null);
    m.put("skipped_steps", skipped);
    m.put("bytes_up", bytesUp);
    m.put("bytes_down", bytesDown);
    if (config.exchange().mode() != ExchangeMode.DENSE) {
      m.put("state_restarts", stateRestarts);
    }
    metrics.write(m);
  }

  private void logEval(EvalPoint p, double epoch) {
    EvalStats s = p.stats();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "eval");
    m.put("step", p.step());
    m.put("epoch", round(epoch));
    m.put("test_loss", s.meanLoss());
    String line;
    if (spec.isClassification()) {
      m.put("test_accuracy", s.accuracy());
      line = String.format(Locale.ROOT, "epoch %d  test loss %.4f  test accuracy %.2f%%  (%d rows)",
          p.epoch(), s.meanLoss(), 100 * s.accuracy(), s.count());
    } else {
      m.put("test_rmse", s.rmse());
      line = String.format(Locale.ROOT, "epoch %d  test loss %.4f  test RMSE %.4f  (%d rows)",
          p.epoch(), s.meanLoss(), s.rmse(), s.count());
    }
    m.put("test_rows", s.count());
    metrics.write(m);
    console.println(line);
  }

  private static double round(double epoch) {
    return Math.round(epoch * 1e4) / 1e4;
  }

  private static String trimmed(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static String duration(double seconds) {
    long s = Math.round(Math.max(0, seconds));
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
