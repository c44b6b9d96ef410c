package org.sparkprop.driver.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import org.sparkprop.core.exchange.sign.PartitionSnapshot;
import org.sparkprop.core.exchange.sign.SignAccumulator;
import org.sparkprop.core.exchange.sign.SignPayload;
import org.sparkprop.core.model.EvalStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs one training step as one Spark job: broadcast the parameters, one gradient task per
 * partition, results merged in partition order on the driver. Keeps one live broadcast: the
 * previous step's is destroyed when the next one is made, so memory stays flat. The destroy call
 * (a round trip to the block manager master, which then removes the blocks asynchronously) runs
 * on a background thread while the next step's job runs; at most one is outstanding, so a slow
 * master holds the loop back instead of letting old broadcasts pile up.
 *
 * <p>Steps carry a fixed call site, so Spark does not walk the driver's stack for one twice per
 * step (it shows in the UI as {@value #CALL_SITE}).
 */
final class StepRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
  static final String CALL_SITE = "sparkprop training step";
  /** Spark's local properties for a job's call site (CallSite.SHORT_FORM and LONG_FORM). */
  private static final String CALL_SITE_SHORT = "callSite.short";
  private static final String CALL_SITE_LONG = "callSite.long";

  private static final ClassTag<GradientPayload> PAYLOAD = ClassTag$.MODULE$.apply(
      GradientPayload.class);
  private static final ClassTag<EvalStats> EVAL = ClassTag$.MODULE$.apply(EvalStats.class);
  private static final ClassTag<SignPayload> SIGN = ClassTag$.MODULE$.apply(SignPayload.class);
  private static final ClassTag<SignAccumulator> SIGN_GROUP = ClassTag$.MODULE$.apply(
      SignAccumulator.class);
  private static final ClassTag<Integer> CLEARED = ClassTag$.MODULE$.apply(Integer.class);
  private static final ClassTag<PartitionSnapshot> SNAPSHOT = ClassTag$.MODULE$.apply(
      PartitionSnapshot.class);

  private final JavaSparkContext jsc;
  /** The cached training data; replaced by a re-spread copy when it crowds onto few executors. */
  private JavaRDD<Block> train;
  private final Placement placement;
  private final StepSettings settings;
  private final Seq<Object> allPartitions;
  private Broadcast<StepState> current;
  private final TrafficMeter traffic;
  private final ExecutorService retired = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "sparkprop-broadcast-destroy");
    t.setDaemon(true);
    return t;
  });
  private Future<?> pendingDestroy;
  private int treeGroups;
  private int signTreeGroups;
  /** Executor state for the next sign step to put back (a resumed run's first step), or null. */
  private ExecutorRestore pendingRestore;

  /** Nanoseconds spent in the last step's broadcast and job. */
  long lastBroadcastNanos;
  long lastJobNanos;
  long lastReduceNanos;

  StepRunner(JavaSparkContext jsc, JavaRDD<Block> train, StepSettings settings) {
    this(jsc, train, settings, note -> { });
  }

  /** @param notes receives a line for the console when the runner re-spreads the data */
  StepRunner(JavaSparkContext jsc, JavaRDD<Block> train, StepSettings settings,
      java.util.function.Consumer<String> notes) {
    this.jsc = jsc;
    this.train = train;
    this.settings = settings;
    this.allPartitions = partitions(train.getNumPartitions());
    this.traffic = new TrafficMeter(jsc.sc());
    this.placement = new Placement(jsc, traffic, notes);
  }

  /** Bytes moved by training steps so far: task results (up) and broadcasts (down). */
  long bytesUp() {
    return traffic.resultBytes();
  }

  long bytesDown() {
    return traffic.broadcastBytes();
  }

  /**
   * On a cluster, the step tasks each executor ran since the last call, by executor id (after
   * {@link #bytesUp}, which waits for Spark's listener events); in local mode, empty.
   */
  Map<String, Long> tasksByExecutor() {
    Map<String, Long> counts = traffic.drainTaskCounts();
    return jsc.sc().isLocal() ? Map.of() : counts;
  }

  static Seq<Object> partitions(int n) {
    List<Object> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    return JavaConverters.asScalaBufferConverter(list).asScala().toSeq();
  }

  /** Computes the merged payload at {@code params} for step {@code step} (0-based). */
  GradientPayload gradient(long step, float[] params) {
    StepState state = new StepState(step, params.clone());
    if (treeGroups > 0) {
      OrderedReducer<GradientPayload, GradientPayload> sums = new OrderedReducer<>(treeGroups,
          GradientPayload.empty(), GradientPayload::merge);
      return step(state, b -> TreeReduce.run(jsc, train, b, settings, treeGroups, sums), sums);
    }
    return run(state, GradientTask::new, new OrderedReducer<>(train.getNumPartitions(),
        GradientPayload.empty(), GradientPayload::merge), PAYLOAD);
  }

  /**
   * Sums dense steps' gradients through a {@link TreeReduce} of {@code groups} groups (0: every
   * partition's gradient to the driver).
   */
  StepRunner sumThroughTree(int groups) {
    this.treeGroups = groups;
    return this;
  }

  /**
   * Decodes sign steps' payloads through a {@link TreeReduce} of {@code groups} groups, each
   * group's into one accumulator on the executors (0: every partition's payload to the driver).
   */
  StepRunner signsThroughTree(int groups) {
    this.signTreeGroups = groups;
    return this;
  }

  /**
   * Runs one sign-compressed step: broadcasts the parameters (and the 1-bit momentum), one
   * {@link SignTask} per partition, payloads decoded into {@code into} in partition order.
   *
   * @param stateBase the step whose executor state the tasks continue from (-1: from zero)
   */
  SignAccumulator signStep(long step, float[] params, float[] momentum, long stateBase,
      SignAccumulator into) {
    into.clear();
    StepState state = new StepState(step, params.clone(),
        momentum == null ? null : momentum.clone(), stateBase);
    ExecutorRestore restore = pendingRestore;
    SignAccumulator acc;
    if (signTreeGroups > 0) {
      OrderedReducer<SignAccumulator, SignAccumulator> groups = new OrderedReducer<>(
          signTreeGroups, into, SignAccumulator::addAll);
      TreeReduce.GroupFold<SignPayload, SignAccumulator> fold =
          TreeReduce.signFold(into.segments(), into.length());
      acc = step(state, b -> TreeReduce.run(jsc, train, new SignTask(b, settings, restore),
          signTreeGroups, fold, groups, SIGN_GROUP), groups);
    } else {
      acc = run(state, (b, s) -> new SignTask(b, s, restore),
          new OrderedReducer<SignAccumulator, SignPayload>(train.getNumPartitions(), into,
              (a, p) -> {
                a.add(p);
                return a;
              }), SIGN);
    }
    if (restore != null) {
      // Every partition has its state back; later steps continue from their own.
      pendingRestore = null;
      restore.broadcasts().forEach(b -> {
        if (b != null) {
          destroy(b);
        }
      });
    }
    return acc;
  }

  /**
   * Hands checkpointed executor state to the next sign step: each partition's task puts its
   * snapshot into its executor's store before it reads it. Partitions are read from {@code
   * states} and broadcast one at a time.
   */
  void restoreExecutorState(ExecutorStates states) throws IOException {
    if (states.partitions() != train.getNumPartitions()) {
      throw new IllegalArgumentException(states.partitions() + " executor states for "
          + train.getNumPartitions() + " partitions");
    }
    List<Broadcast<PartitionSnapshot>> broadcasts = new ArrayList<>();
    for (int p = 0; p < states.partitions(); p++) {
      broadcasts.add(jsc.broadcast(states.load(p)));
    }
    pendingRestore = new ExecutorRestore(broadcasts);
  }

  /** Receives gathered executor state; may fail with an IOException (e.g. writing it out). */
  @FunctionalInterface
  interface SnapshotSink {
    void accept(PartitionSnapshot snapshot) throws IOException;
  }

  /** Executor state gathered by one job at most, so results stay under spark.driver.maxResultSize. */
  static final long GATHER_BYTES_PER_JOB = 256L << 20;

  /**
   * Gathers every partition's executor state of {@code step} (for a checkpoint) into {@code
   * sink} as results arrive, in jobs over groups of partitions whose state adds up to at most
   * {@link #GATHER_BYTES_PER_JOB}, so the driver holds little at once. A partition whose
   * executor holds no such state arrives as {@link PartitionSnapshot#missing}.
   *
   * @param bytesPerPartition the size of one partition's state
   * @throws IOException if a job fails or the sink does
   */
  void gatherExecutorState(long step, long bytesPerPartition, SnapshotSink sink)
      throws IOException {
    int n = train.getNumPartitions();
    int perJob = (int) Math.max(1, Math.min(n, GATHER_BYTES_PER_JOB / Math.max(1,
        bytesPerPartition)));
    IOException[] failure = new IOException[1];
    String[] saved = enterStep();
    try {
      for (int from = 0; from < n && failure[0] == null; from += perJob) {
        List<Object> group = new ArrayList<>();
        for (int p = from; p < Math.min(n, from + perJob); p++) {
          group.add(p);
        }
        jsc.sc().runJob(train.rdd(), new GatherStateTask(settings.runId(), step),
            JavaConverters.asScalaBufferConverter(group).asScala().toSeq(),
            new AbstractFunction2<Object, PartitionSnapshot, BoxedUnit>() {
              @Override
              public BoxedUnit apply(Object index, PartitionSnapshot snapshot) {
                if (failure[0] == null) {
                  try {
                    sink.accept(snapshot);
                  } catch (IOException e) {
                    failure[0] = e;
                  }
                }
                return BoxedUnit.UNIT;
              }
            }, SNAPSHOT);
      }
    } catch (Exception e) { // SparkException is checked, thrown undeclared
      throw new IOException("gathering the executor state failed: " + e.getMessage(), e);
    } finally {
      leaveStep(saved);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /**
   * One step job: broadcast {@code state} (destroying the previous one), one task per partition
   * made by {@code task}, results folded by {@code reducer} in partition order; records timings
   * and traffic.
   */
  private <A, U> A run(StepState state,
      BiFunction<Broadcast<StepState>, StepSettings, AbstractFunction2<TaskContext,
          scala.collection.Iterator<Block>, U>> task,
      OrderedReducer<A, U> reducer, ClassTag<U> type) {
    return step(state, b -> jsc.sc().runJob(train.rdd(), task.apply(b, settings), allPartitions,
        reducer, type), reducer);
  }

  /**
   * One step: broadcast {@code state} (destroying the previous one), run {@code job} with it,
   * whose results reach {@code reducer}; records timings and traffic.
   */
  private <A> A step(StepState state, java.util.function.Consumer<Broadcast<StepState>> job,
      OrderedReducer<A, ?> reducer) {
    long t0 = System.nanoTime();
    String[] saved = enterStep();
    long t1;
    try {
      replaceBroadcast(state);
      t1 = System.nanoTime();
      traffic.countBroadcast(current);
      jsc.setLocalProperty(TrafficMeter.TAG, "step");
      job.accept(current);
    } finally {
      jsc.setLocalProperty(TrafficMeter.TAG, null);
      leaveStep(saved);
    }
    lastBroadcastNanos = t1 - t0;
    lastJobNanos = System.nanoTime() - t1;
    lastReduceNanos = reducer.mergeNanos();
    A result = reducer.result();
    train = placement.afterStep(train);
    return result;
  }

  /** How often the cached data was spread out again. */
  int respreads() {
    return placement.respreads();
  }

  /** What every task of this run gets. */
  StepSettings settings() {
    return settings;
  }

  /** The traffic meter (tests). */
  TrafficMeter traffic() {
    return traffic;
  }

  /** The live step-state broadcast (tests). */
  Broadcast<StepState> currentBroadcast() {
    return current;
  }

  /** Drops this run's executor state (sign modes): one small task per partition. */
  void clearExecutorState(String runId) {
    jsc.sc().runJob(train.rdd(), new ClearStateTask(runId), allPartitions, CLEARED);
  }

  /** Evaluates {@code params} on {@code data}. */
  EvalStats evaluate(JavaRDD<Block> data, long step, float[] params) {
    String[] saved = enterStep();
    try {
      replaceBroadcast(new StepState(step, params.clone()));
      OrderedReducer<EvalStats, EvalStats> reducer = new OrderedReducer<>(
          data.getNumPartitions(), EvalStats.empty(), EvalStats::merge);
      jsc.sc().runJob(data.rdd(), new EvalTask(current, settings),
          partitions(data.getNumPartitions()), reducer, EVAL);
      return reducer.result();
    } finally {
      leaveStep(saved);
    }
  }

  /** Sets the fixed call site; returns the caller's values for {@link #leaveStep}. */
  private String[] enterStep() {
    String[] saved = {jsc.getLocalProperty(CALL_SITE_SHORT), jsc.getLocalProperty(CALL_SITE_LONG)};
    jsc.setLocalProperty(CALL_SITE_SHORT, CALL_SITE);
    jsc.setLocalProperty(CALL_SITE_LONG, CALL_SITE);
    return saved;
  }

  private void leaveStep(String[] saved) {
    jsc.setLocalProperty(CALL_SITE_SHORT, saved[0]);
    jsc.setLocalProperty(CALL_SITE_LONG, saved[1]);
  }

  /**
   * Broadcasts {@code state} and hands the previous broadcast to the background thread, after
   * the one before it has been destroyed.
   */
  private void replaceBroadcast(StepState state) {
    Broadcast<StepState> previous = current;
    current = jsc.broadcast(state);
    if (previous != null) {
      awaitPendingDestroy();
      pendingDestroy = retired.submit(() -> destroy(previous));
    }
  }

  private static void destroy(Broadcast<?> b) {
    try {
      b.destroy();
    } catch (RuntimeException e) {
      // Only memory is at stake: the blocks stay until the context stops.
      LOG.warn("could not destroy step broadcast {}: {}", b.id(), e.toString());
    }
  }

  private void awaitPendingDestroy() {
    if (pendingDestroy == null) {
      return;
    }
    try {
      pendingDestroy.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warn("step broadcast destroy failed: {}", e.getCause().toString());
    }
    pendingDestroy = null;
  }

  /** Destroys the live broadcast and waits for the background destroy, if one is pending. */
  @Override
  public void close() {
    if (placement.respreads() > 0) {
      train.unpersist(false); // the copy this runner made; the original belongs to the data set
    }
    try {
      traffic.close();
      awaitPendingDestroy();
      if (current != null) {
        destroy(current);
        current = null;
      }
    } finally {
      retired.shutdown();
      try {
        if (!retired.awaitTermination(2, TimeUnit.MINUTES)) {
          LOG.warn("a step broadcast destroy did not return within 2 minutes");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
