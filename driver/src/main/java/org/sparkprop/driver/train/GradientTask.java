package org.sparkprop.driver.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/** The task of one dense training step on one partition: one summed-gradient payload. */
final class GradientTask extends AbstractFunction2<TaskContext, Iterator<Block>, GradientPayload>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<StepState> state;
  private final StepSettings settings;

  GradientTask(Broadcast<StepState> state, StepSettings settings) {
    this.state = state;
    this.settings = settings;
  }

  @Override
  public GradientPayload apply(TaskContext context, Iterator<Block> blocks) {
    StepState s = state.value();
    return LocalGradient.compute(context, blocks, s.step(), s.params(), settings);
  }
}
