package org.sparkprop.driver.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.exchange.StepState;
import org.sparkprop.core.model.EvalStats;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.runtime.CompilerPriority;
import org.sparkprop.core.runtime.NativeThreads;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/** Evaluates the broadcast parameters on every block of one partition. */
final class EvalTask extends AbstractFunction2<TaskContext, Iterator<Block>, EvalStats>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<StepState> state;
  private final StepSettings settings;

  EvalTask(Broadcast<StepState> state, StepSettings settings) {
    this.state = state;
    this.settings = settings;
  }

  @Override
  public EvalStats apply(TaskContext context, Iterator<Block> blocks) {
    NativeThreads.configure(settings.nativeThreads());
    CompilerPriority.lower(settings.jitNice());
    Network network = Networks.of(settings.model());
    float[] params = state.value().params();
    EvalStats total = EvalStats.empty();
    while (blocks.hasNext()) {
      total.merge(network.evaluate(params, blocks.next()));
    }
    return total;
  }
}
