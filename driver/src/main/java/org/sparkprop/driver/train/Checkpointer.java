package org.sparkprop.driver.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkprop.core.exchange.sign.StateRef;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.checkpoint.CheckpointWriter;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.dataset.DataFingerprint;
import org.sparkprop.driver.optim.GuardedOptimizer;
import org.sparkprop.driver.optim.OptimizerState;

/**
 * Takes a run's checkpoints: when they are due ({@code checkpoint.every_epochs}, {@code
 * every_steps}, and the last step), and what goes in them: the parameters, the optimizer's and
 * the exchange's state, each partition's executor state (gathered from the executors), the
 * loop's {@link RunState}, the config and the data fingerprint.
 *
 * <p>A checkpoint that cannot be written (a full disk, a lost connection) is reported on the
 * console and training continues; the next one tries again, and the previous complete one stays.
 */
public final class Checkpointer {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CheckpointWriter writer;
  private final TrainingConfig.Checkpoint policy;
  private final ModelSpec spec;
  private final TrainingConfig config;
  private final DataFingerprint data;
  private final org.sparkprop.driver.data.LabelMap labels;
  private int written;

  /** Checkpoints a run of {@code config} on data with fingerprint {@code data}. */
  public Checkpointer(CheckpointWriter writer, TrainingConfig config, ModelSpec spec,
      DataFingerprint data) {
    this(writer, config, spec, data, null);
  }

  /** As above; {@code labels}: a classifier's labels in class order, for the model file. */
  public Checkpointer(CheckpointWriter writer, TrainingConfig config, ModelSpec spec,
      DataFingerprint data, org.sparkprop.driver.data.LabelMap labels) {
    this.writer = writer;
    this.policy = config.checkpoint();
    this.spec = spec;
    this.config = config;
    this.data = data;
    this.labels = labels;
  }

  /**
   * True when a checkpoint is due after {@code step} steps.
   *
   * @param epochBoundary the epoch just completed, or 0 when the step completed none
   * @param last whether it is the run's last step
   */
  boolean due(long step, int epochBoundary, boolean last) {
    return last
        || (policy.everySteps() > 0 && step % policy.everySteps() == 0)
        || (policy.everyEpochs() > 0 && epochBoundary > 0
            && epochBoundary % policy.everyEpochs() == 0);
  }

  /** Writes the checkpoint of the run's current state; a failure is reported, not thrown. */
  void save(RunState s, GuardedOptimizer optimizer, Exchange exchange, StepRunner runner,
      RunLog log) {
    try {
      write(s, optimizer, exchange, runner);
      written++;
    } catch (Exception e) { // also Spark's checked exceptions, thrown undeclared
      LOG.warn("checkpoint of step {} failed", s.step, e);
      log.note("sparkprop: warning: the checkpoint of step " + s.step + " could not be written ("
          + e.getMessage() + "); training continues, the next checkpoint tries again");
    }
  }

  /** Checkpoints written so far. */
  public int written() {
    return written;
  }

  private void write(RunState s, GuardedOptimizer optimizer, Exchange exchange,
      StepRunner runner) throws IOException {
    CheckpointWriter.Pending p = writer.begin(s.step);
    OptimizerState os = optimizer.optimizer().exportState();
    for (Map.Entry<String, float[]> e : os.arrays().entrySet()) {
      p.array(CheckpointState.OPTIMIZER, e.getKey(), e.getValue());
    }
    ExchangeState es = exchange.exportState();
    for (Map.Entry<String, float[]> e : es.arrays().entrySet()) {
      p.array(CheckpointState.EXCHANGE, e.getKey(), e.getValue());
    }
    long executorStep = exchange.executorStateStep();
    ArrayNode index = null;
    if (executorStep != StateRef.NONE) {
      ObjectNode[] entries = new ObjectNode[data.partitions()];
      runner.gatherExecutorState(executorStep, 4L * spec.numParams(), snapshot -> {
        if (snapshot.missing()) {
          // The executor that holds it was lost, or the gather ran elsewhere: the next step
          // (and so the next checkpoint) finds it or restarts it, either way without this.
          throw new IOException("partition " + snapshot.partition() + "'s executor state of "
              + "step " + executorStep + " was not found where the gather ran (a lost "
              + "executor, or a task placed elsewhere)");
        }
        p.partition(snapshot);
        entries[snapshot.partition()] = CheckpointState.partitionEntry(snapshot);
      });
      index = JSON.createArrayNode();
      for (ObjectNode e : entries) {
        index.add(e);
      }
    }
    ObjectNode state = CheckpointState.encode(s, config.exchange().mode(),
        runner.settings().nativeThreads(), os,
        optimizer.skippedSteps(), es, executorStep, index, data);
    p.commit(spec, s.params, config.run().seed(), config.hash(), labels, config.render(), state);
  }
}
