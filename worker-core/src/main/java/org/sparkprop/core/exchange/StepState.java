package org.sparkprop.core.exchange;

import java.io.Serializable;

/**
 * What the driver broadcasts to every task of one training step: the step number and the
 * parameters to differentiate at. Plain arrays only (ND4J arrays do not survive Kryo).
 */
public final class StepState implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final float[] params;

  /** Takes ownership of {@code params}; the driver hands over a copy it will not mutate. */
  public StepState(long step, float[] params) {
    this.step = step;
    this.params = params;
  }

  /** 0-based step index. */
  public long step() {
    return step;
  }

  /** The parameters (do not modify). */
  public float[] params() {
    return params;
  }
}
