package org.sparkprop.driver.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.sparkprop.core.model.EvalStats;

/**
 * Everything the step loop carries from one step to the next, in one place: the parameters, the
 * steps done, and the running counters behind the log lines, the evaluations and the timings. A
 * checkpoint saves it (with the optimizer's and the exchange's state) and a resumed run restores
 * it, so the resumed loop continues exactly where the checkpoint left off: the same log windows,
 * the same epoch boundaries, the same cumulative times and bytes.
 *
 * <p>Mutable, owned by one {@link Trainer} run; fields are package-private for the loop.
 */
public final class RunState {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final StepTimes ZERO = new StepTimes(0, 0, 0, 0, 0, 0, 0);

  final float[] params;
  /** Steps done. */
  long step;
  /** Whole epochs completed (for evaluation and per-epoch times). */
  int epochsDone;
  int consecutiveSkips;
  long rowsSeen;
  double lastLoss = Double.NaN;
  long stateRestarts;
  /** Bytes moved by all steps so far (before a resume as well). */
  long bytesUp;
  long bytesDown;
  /** The last logged step and the byte totals then; the mean loss of the steps since. */
  long loggedStep;
  long loggedUp;
  long loggedDown;
  double lossSinceLog;
  int stepsSinceLog;
  /** Time of all steps so far, and at the start of the current epoch. */
  StepTimes times = ZERO;
  /**
   * {@link #times} at the last log line (not checkpointed: a resumed run's first window times
   * its steps since the resume).
   */
  StepTimes loggedTimes;
  StepTimes epochStart = ZERO;
  final List<StepTimes> epochTimes = new ArrayList<>();
  final List<EvalPoint> evals = new ArrayList<>();

  private RunState(float[] params) {
    this.params = params;
  }

  /** A new run from {@code params} (updated in place by the run). */
  public static RunState start(float[] params) {
    return new RunState(params);
  }

  /** The parameters (the run's own array). */
  public float[] params() {
    return params;
  }

  /** Steps done. */
  public long step() {
    return step;
  }

  /** The loop's counters as JSON (everything but the parameters). */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("step", step);
    o.put("epochs_done", epochsDone);
    o.put("consecutive_skips", consecutiveSkips);
    o.put("rows_seen", rowsSeen);
    putDouble(o, "last_loss", lastLoss);
    o.put("state_restarts", stateRestarts);
    o.put("bytes_up", bytesUp);
    o.put("bytes_down", bytesDown);
    o.put("logged_step", loggedStep);
    o.put("logged_up", loggedUp);
    o.put("logged_down", loggedDown);
    putDouble(o, "loss_since_log", lossSinceLog);
    o.put("steps_since_log", stepsSinceLog);
    o.set("times", times(times));
    o.set("epoch_start", times(epochStart));
    ArrayNode epochs = o.putArray("epoch_times");
    epochTimes.forEach(t -> epochs.add(times(t)));
    ArrayNode ev = o.putArray("evaluations");
    for (EvalPoint p : evals) {
      ObjectNode e = ev.addObject();
      e.put("epoch", p.epoch());
      e.put("step", p.step());
      e.put("seconds", p.seconds());
      e.put("loss_sum", p.stats().lossSum());
      e.put("count", p.stats().count());
      e.put("correct", p.stats().correct());
      e.put("squared_error_sum", p.stats().squaredErrorSum());
    }
    return o;
  }

  /**
   * The state a checkpoint saved, continuing into {@code params}.
   *
   * @throws IllegalArgumentException naming the first field that is missing or malformed
   */
  public static RunState fromJson(JsonNode o, float[] params) {
    RunState s = new RunState(params);
    s.step = longOf(o, "step");
    s.epochsDone = (int) longOf(o, "epochs_done");
    s.consecutiveSkips = (int) longOf(o, "consecutive_skips");
    s.rowsSeen = longOf(o, "rows_seen");
    s.lastLoss = doubleOf(o, "last_loss");
    s.stateRestarts = longOf(o, "state_restarts");
    s.bytesUp = longOf(o, "bytes_up");
    s.bytesDown = longOf(o, "bytes_down");
    s.loggedStep = longOf(o, "logged_step");
    s.loggedUp = longOf(o, "logged_up");
    s.loggedDown = longOf(o, "logged_down");
    s.lossSinceLog = doubleOf(o, "loss_since_log");
    s.stepsSinceLog = (int) longOf(o, "steps_since_log");
    s.times = timesOf(field(o, "times"));
    s.epochStart = timesOf(field(o, "epoch_start"));
    for (JsonNode t : field(o, "epoch_times")) {
      s.epochTimes.add(timesOf(t));
    }
    for (JsonNode e : field(o, "evaluations")) {
      s.evals.add(new EvalPoint((int) longOf(e, "epoch"), longOf(e, "step"),
          doubleOf(e, "seconds"), new EvalStats(doubleOf(e, "loss_sum"), longOf(e, "count"),
          longOf(e, "correct"), doubleOf(e, "squared_error_sum"))));
    }
    return s;
  }

  private static ObjectNode times(StepTimes t) {
    ObjectNode o = JSON.createObjectNode();
    o.put("steps", t.steps());
    o.put("broadcast_ns", t.broadcast());
    o.put("job_ns", t.job());
    o.put("slowest_compute_ns", t.slowestCompute());
    o.put("reduce_ns", t.reduce());
    o.put("optimizer_ns", t.optimizer());
    o.put("total_ns", t.total());
    return o;
  }

  private static StepTimes timesOf(JsonNode o) {
    return new StepTimes(longOf(o, "steps"), longOf(o, "broadcast_ns"), longOf(o, "job_ns"),
        longOf(o, "slowest_compute_ns"), longOf(o, "reduce_ns"), longOf(o, "optimizer_ns"),
        longOf(o, "total_ns"));
  }

  /** JSON has no NaN: a non-finite double is stored as null. */
  private static void putDouble(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static JsonNode field(JsonNode o, String key) {
    JsonNode v = o.get(key);
    if (v == null) {
      throw new IllegalArgumentException("the run state has no '" + key + "'");
    }
    return v;
  }

  private static long longOf(JsonNode o, String key) {
    JsonNode v = field(o, key);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("the run state's '" + key + "' is not an integer: " + v);
    }
    return v.asLong();
  }

  private static double doubleOf(JsonNode o, String key) {
    JsonNode v = field(o, key);
    if (v.isNull()) {
      return Double.NaN;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException("the run state's '" + key + "' is not a number: " + v);
    }
    return v.asDouble();
  }
}
