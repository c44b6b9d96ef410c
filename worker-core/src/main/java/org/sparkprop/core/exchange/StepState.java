package org.sparkprop.core.exchange;

import java.io.Serializable;

/**
 * What the driver broadcasts to every task of one training step: the step number, the
 * parameters to differentiate at and, in the 1-bit modes, the averaged momentum and the step
 * whose executor state to continue from. Plain arrays only (ND4J arrays do not survive Kryo).
 */
public final class StepState implements Serializable {
  private static final long serialVersionUID = 2L;

  private final long step;
  private final float[] params;
  private final float[] momentum;
  private final long stateBase;

  /** Dense exchange: step and parameters. Takes ownership of {@code params}. */
  public StepState(long step, float[] params) {
    this(step, params, null, -1);
  }

  /**
   * Sign exchange: also the averaged momentum (null when the mode has none) and the step whose
   * executor state the tasks continue from ({@code -1}: start from zero on purpose).
   */
  public StepState(long step, float[] params, float[] momentum, long stateBase) {
    this.step = step;
    this.params = params;
    this.momentum = momentum;
    this.stateBase = stateBase;
  }

  /** 0-based step index. */
  public long step() {
    return step;
  }

  /** The parameters (do not modify). */
  public float[] params() {
    return params;
  }

  /** The averaged momentum of the 1-bit modes, or null (do not modify). */
  public float[] momentum() {
    return momentum;
  }

  /** The step whose executor state to read; -1 = start from zero. */
  public long stateBase() {
    return stateBase;
  }
}
