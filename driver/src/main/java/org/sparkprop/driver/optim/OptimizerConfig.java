package org.sparkprop.driver.optim;

import java.util.Map;

/**
 * The immutable, validated hyperparameters of one optimizer family. A config holds no state: it
 * creates {@link Optimizer}s, each of which owns the state for one parameter vector (the split
 * of DL4J's {@code IUpdater} / {@code AdamUpdater}).
 *
 * <p>Every implementation validates in its builder's {@code build()}, which throws an {@link
 * IllegalArgumentException} listing every problem, each prefixed with {@code "optimizer.<key>: "}.
 * Equality is by {@link #toMap()}.
 */
public sealed interface OptimizerConfig
    permits SgdConfig, AdagradConfig, RmsPropConfig, AdamConfig, RpropConfig, SignConfig,
        LambConfig, LarsConfig {

  /** The config section the error messages name: {@code "optimizer"}. */
  String SECTION = "optimizer";

  /** The value of {@code optimizer.name} that selects this optimizer, e.g. {@code "adamw"}. */
  String name();

  /**
   * The base learning rate. For the Rprop family this is the initial step size Δ₀ (as in
   * PyTorch's {@code Rprop(lr=...)}), and the Rprop optimizers ignore any later learning rate.
   */
  double lr();

  /**
   * True for the Rprop family, which is only sound with full-batch gradients (the sign of the
   * gradient must not change because the batch changed). The caller rejects mini-batch runs.
   */
  boolean requiresFullBatch();

  /**
   * True when {@link Optimizer#step(float[], float[], double, double)} needs the current loss
   * (only {@code irprop-plus}, which backtracks only when the loss went up).
   */
  default boolean usesLoss() {
    return false;
  }

  /** An optimizer with fresh state for {@code numParams} parameters, weight decay on all. */
  default Optimizer create(int numParams) {
    return create(numParams, null);
  }

  /**
   * An optimizer with fresh state for {@code numParams} parameters.
   *
   * @param decayMask {@code decayMask[i]} true to apply weight decay to parameter {@code i}
   *     (e.g. false for biases); null to decay all; copied, length must be {@code numParams}
   */
  Optimizer create(int numParams, boolean[] decayMask);

  /**
   * An optimizer with fresh state, told the model's tensors: the layer-wise optimizers (LAMB,
   * LARS) take their trust ratios per tensor; the others ignore the tensors.
   */
  default Optimizer create(int numParams, boolean[] decayMask, Tensors tensors) {
    return create(numParams, decayMask);
  }

  /**
   * The resolved hyperparameters under their config keys ({@code name} first), e.g. {@code
   * {name=adam, lr=0.001, betas=[0.9, 0.999], eps=1.0E-8, weight_decay=0.0, amsgrad=false}}.
   * Unmodifiable; feeding it back to {@link Optimizers#fromConfig} gives an equal config.
   */
  Map<String, Object> toMap();
}
