package org.sparkprop.driver.optim;

/**
 * An optimizer bound to one flat float32 parameter vector: it owns the state (moments, step
 * sizes, ...) and updates the parameters in place.
 *
 * <p>Lifecycle: {@link OptimizerConfig#create} → optionally {@link #importState} (resume from a
 * checkpoint) → {@link #step} once per training step → {@link #exportState} whenever a checkpoint
 * is written. Not thread-safe; the driver calls it from one thread.
 *
 * <p>A step is all or nothing: every argument is checked (lengths, learning rate, finite
 * gradient, loss where needed) before anything is written, so a step that throws leaves the
 * parameters and the state exactly as they were.
 *
 * <p>Arithmetic: each entry is computed in double from the float32 inputs and the float32 state,
 * and every value stored (parameter or state) is rounded to float32 once per step.
 */
public interface Optimizer {

  /**
   * One step with the config's learning rate and an unknown loss. Not for {@code irprop-plus}
   * (see {@link OptimizerConfig#usesLoss()}), which throws.
   */
  default void step(float[] params, float[] grad) {
    step(params, grad, config().lr(), Double.NaN);
  }

  /**
   * One step: updates {@code params} in place from the mean gradient {@code grad}.
   *
   * @param params the parameters θ_t, overwritten with θ_{t+1}; length {@link #numParams()}
   * @param grad the gradient at θ_t, length {@link #numParams()}; every entry must be finite
   *     (else a {@link NonFiniteGradientException} and nothing changes). The optimizer may use it
   *     as scratch space: its contents after the call are unspecified.
   * @param lr the learning rate for this step (from the schedule), finite and &ge; 0; the Rprop
   *     family ignores it
   * @param loss the current mean loss at θ_t; used by {@code irprop-plus} only, NaN if unknown
   */
  void step(float[] params, float[] grad, double lr, double loss);

  /** The number of steps applied so far (a rejected step does not count). */
  long steps();

  /** The number of parameters this optimizer was created for. */
  int numParams();

  /** The hyperparameters this optimizer was created from. */
  OptimizerConfig config();

  /** A deep copy of the current state; later steps do not change it. */
  OptimizerState exportState();

  /**
   * Replaces the state with a copy of {@code state}. Checks the optimizer name, the array names,
   * the array lengths and the scalar names first and throws an {@link IllegalArgumentException}
   * saying what does not match, leaving the current state untouched. After an import, steps
   * continue exactly as if the optimizer that exported the state had continued.
   */
  void importState(OptimizerState state);
}
