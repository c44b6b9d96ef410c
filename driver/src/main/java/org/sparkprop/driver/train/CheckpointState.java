package org.sparkprop.driver.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkprop.core.exchange.sign.PartitionSnapshot;
import org.sparkprop.core.exchange.sign.StateRef;
import org.sparkprop.driver.checkpoint.CheckpointReader;
import org.sparkprop.driver.dataset.DataFingerprint;
import org.sparkprop.driver.io.FileFormatException;
import org.sparkprop.driver.optim.OptimizerState;

/**
 * {@code state.json} of a checkpoint: the loop's {@link RunState}, the optimizer's name, step,
 * skipped steps and scalars (its arrays are files of their own), the exchange's counters, the
 * index of the executor state, and the data fingerprint.
 *
 * <pre>
 * {"format_version": 1, "step": 1172, "exchange_mode": "dense",
 *  "run": {...},
 *  "optimizer": {"name": "adam", "steps": 1172, "skipped": 0, "scalars": {}, "arrays": [...]},
 *  "exchange": {"counters": {...}, "arrays": [...]},
 *  "native_threads": 1,
 *  "executor_state": null | {"step": 1171, "partitions": [{"partition": 0,
 *                                                          "arrays": ["residual"]}, ...]},
 *  "data": {"rows": 60000, "partitions": 2, "features": 784, "sparse": false, "digest": "..."}}
 * </pre>
 */
public final class CheckpointState {
  static final int FORMAT_VERSION = 1;
  static final String OPTIMIZER = "optimizer";
  static final String EXCHANGE = "exchange";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointState() {}

  /** The state of a run after {@code s.step()} steps; {@code executor} indexes the partitions. */
  static ObjectNode encode(RunState s, ExchangeMode mode, int nativeThreads,
      OptimizerState optimizer, long skipped, ExchangeState exchange, long executorStep,
      ArrayNode executor, DataFingerprint data) {
    ObjectNode o = JSON.createObjectNode();
    o.put("format_version", FORMAT_VERSION);
    o.put("step", s.step);
    o.put("exchange_mode", mode.configName());
    o.put("native_threads", nativeThreads);
    o.set("run", s.toJson());
    ObjectNode opt = o.putObject(OPTIMIZER);
    opt.put("name", optimizer.optimizer());
    opt.put("steps", optimizer.step());
    opt.put("skipped", skipped);
    ObjectNode scalars = opt.putObject("scalars");
    optimizer.scalars().forEach((k, v) -> {
      if (Double.isFinite(v)) {
        scalars.put(k, v);
      } else {
        scalars.putNull(k);
      }
    });
    ArrayNode names = opt.putArray("arrays");
    optimizer.arrayNames().forEach(names::add);
    ObjectNode ex = o.putObject(EXCHANGE);
    ObjectNode counters = ex.putObject("counters");
    exchange.counters().forEach(counters::put);
    ArrayNode exArrays = ex.putArray("arrays");
    exchange.arrays().keySet().forEach(exArrays::add);
    if (executor == null) {
      o.putNull("executor_state");
    } else {
      ObjectNode es = o.putObject("executor_state");
      es.put("step", executorStep);
      es.set("partitions", executor);
    }
    ObjectNode d = o.putObject("data");
    d.put("rows", data.rows());
    d.put("partitions", data.partitions());
    d.put("features", data.features());
    d.put("sparse", data.sparse());
    d.put("digest", data.digest());
    return o;
  }

  /** One partition's entry of the executor state's index. */
  static ObjectNode partitionEntry(PartitionSnapshot p) {
    ObjectNode e = JSON.createObjectNode();
    e.put("partition", p.partition());
    ArrayNode names = e.putArray("arrays");
    p.arrays().keySet().forEach(names::add);
    return e;
  }

  /**
   * The native (BLAS/OpenMP) threads per task the checkpointed run computed with: the same
   * count gives the same bits.
   */
  public static int nativeThreads(CheckpointReader.Loaded c) throws IOException {
    JsonNode n = c.state().path("native_threads");
    if (!n.canConvertToInt()) {
      throw new FileFormatException(c.dir() + "/state.json: has no native_threads");
    }
    return n.asInt();
  }

  /**
   * The data fingerprint a checkpoint recorded.
   *
   * @throws IOException if state.json lacks it
   */
  public static DataFingerprint fingerprint(CheckpointReader.Loaded c) throws IOException {
    JsonNode d = c.state().path("data");
    if (!d.path("rows").canConvertToLong() || !d.path("digest").isTextual()) {
      throw new FileFormatException(c.dir() + "/state.json: has no data fingerprint");
    }
    return new DataFingerprint(d.path("rows").asLong(), d.path("partitions").asInt(),
        d.path("features").asInt(), d.path("sparse").asBoolean(), d.path("digest").asText());
  }

  /**
   * Everything a run needs to continue from checkpoint {@code c} of a model with {@code
   * numParams} parameters trained on {@code partitions} partitions.
   *
   * @throws IOException naming the file that is missing or does not fit
   */
  public static Trainer.Start decode(CheckpointReader.Loaded c, int numParams, int partitions)
      throws IOException {
    JsonNode o = c.state();
    String where = c.dir() + "/state.json";
    if (o.path("format_version").asInt(-1) != FORMAT_VERSION) {
      throw new FileFormatException(where + ": format_version " + o.path("format_version")
          + " is not supported (this build reads version " + FORMAT_VERSION + ")");
    }
    if (o.path("step").asLong(-1) != c.step()) {
      throw new FileFormatException(where + ": step " + o.path("step") + " is not the checkpoint's "
          + c.step());
    }
    float[] params = c.model().params();
    if (params.length != numParams) {
      throw new FileFormatException(c.dir() + "/model.sprp: " + params.length + " parameters, the model "
          + "has " + numParams);
    }
    try {
      RunState run = RunState.fromJson(o.path("run"), params);
      if (run.step != c.step()) {
        throw new FileFormatException(where + ": run.step " + run.step + " is not " + c.step());
      }
      OptimizerState optimizer = optimizer(c);
      JsonNode ex = o.path(EXCHANGE);
      Map<String, float[]> exArrays = new LinkedHashMap<>();
      for (JsonNode name : ex.path("arrays")) {
        exArrays.put(name.asText(), c.array(EXCHANGE, name.asText()));
      }
      Map<String, Long> counters = new LinkedHashMap<>();
      ex.path("counters").fields().forEachRemaining(e -> counters.put(e.getKey(),
          e.getValue().asLong()));
      ExecutorStates executor = executorState(c, o.path("executor_state"), partitions);
      return new Trainer.Start(run, optimizer, o.path(OPTIMIZER).path("skipped").asLong(),
          new ExchangeState(exArrays, counters), executor);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(where + ": " + e.getMessage());
    }
  }

  /**
   * The optimizer's state a checkpoint holds (for a warm start that continues it).
   *
   * @throws IOException naming the file that is missing or does not decode
   */
  public static OptimizerState optimizer(CheckpointReader.Loaded c) throws IOException {
    JsonNode opt = c.state().path(OPTIMIZER);
    if (!opt.path("name").isTextual()) {
      throw new FileFormatException(c.dir() + "/state.json: has no optimizer state");
    }
    Map<String, float[]> arrays = new LinkedHashMap<>();
    for (JsonNode name : opt.path("arrays")) {
      arrays.put(name.asText(), c.array(OPTIMIZER, name.asText()));
    }
    Map<String, Double> scalars = new LinkedHashMap<>();
    opt.path("scalars").fields().forEachRemaining(e -> scalars.put(e.getKey(),
        e.getValue().isNull() ? Double.NaN : e.getValue().asDouble()));
    try {
      return new OptimizerState(opt.path("name").asText(), opt.path("steps").asLong(), arrays,
          scalars);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(c.dir() + "/state.json: " + e.getMessage());
    }
  }

  /** The checkpoint's executor state, read a partition at a time, or null when it has none. */
  private static ExecutorStates executorState(CheckpointReader.Loaded c, JsonNode es,
      int partitions) throws IOException {
    if (es.isNull() || es.isMissingNode()) {
      return null;
    }
    long step = es.path("step").asLong(StateRef.NONE);
    JsonNode list = es.path("partitions");
    if (step < 0 || list.size() != partitions) {
      throw new FileFormatException(c.dir() + "/state.json: the executor state has "
          + list.size() + " partitions at step " + step + ", the run has " + partitions);
    }
    List<List<String>> names = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      JsonNode e = list.get(p);
      if (e.path("partition").asInt(-1) != p || !e.path("arrays").isArray()) {
        throw new FileFormatException(c.dir() + "/state.json: bad executor state entry " + e);
      }
      List<String> arrays = new ArrayList<>();
      e.path("arrays").forEach(n -> arrays.add(n.asText()));
      for (String a : arrays) {
        c.requireArrayListed(c.partitionFile(p, a));
      }
      names.add(arrays);
    }
    return new ExecutorStates() {
      @Override
      public int partitions() {
        return partitions;
      }

      @Override
      public PartitionSnapshot load(int partition) throws IOException {
        return c.partition(partition, step, names.get(partition));
      }
    };
  }
}
