package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LARS (You, Gitman, Ginsburg 2017, "Large Batch Training of Convolutional Networks", Algorithm
 * 1): SGD with momentum and a layer-wise local learning rate. Per step, per weight tensor W
 * (biases take plain momentum SGD with no decay and a local rate of 1, as in the paper's
 * experiments):
 *
 * <pre>
 * λ = trust_coefficient · ‖θ_W‖ / (‖g_W‖ + weight_decay · ‖θ_W‖)   (1 when a norm is 0)
 * v = momentum · v + lr · λ · (g + weight_decay · θ)
 * θ = θ − v
 * </pre>
 *
 * State: {@code momentum_buffer}. Defaults: momentum 0.9, weight_decay 5e-4, trust_coefficient
 * 1e-3 (the paper's η); the learning rate has no default (the paper's runs use 2 to 30).
 */
public final class LarsConfig implements OptimizerConfig {
  public static final String NAME = "lars";
  public static final List<String> KEYS =
      List.of("name", "lr", "momentum", "weight_decay", "trust_coefficient");

  private final double lr;
  private final double momentum;
  private final double weightDecay;
  private final double trustCoefficient;

  private LarsConfig(Builder b) {
    this.lr = b.lr;
    this.momentum = b.momentum;
    this.weightDecay = b.weightDecay;
    this.trustCoefficient = b.trustCoefficient;
  }

  public static Builder builder() {
    return new Builder();
  }

  static Builder read(ConfigReader r) {
    Builder b = new Builder();
    b.lr = r.number("lr", b.lr);
    b.momentum = r.number("momentum", b.momentum);
    b.weightDecay = r.number("weight_decay", b.weightDecay);
    b.trustCoefficient = r.number("trust_coefficient", b.trustCoefficient);
    return b;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double lr() {
    return lr;
  }

  public double momentum() {
    return momentum;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public double trustCoefficient() {
    return trustCoefficient;
  }

  @Override
  public boolean requiresFullBatch() {
    return false;
  }

  /** Without the model's layout: the whole vector is one weight tensor. */
  @Override
  public Optimizer create(int numParams, boolean[] decayMask) {
    return create(numParams, decayMask, Tensors.whole(numParams));
  }

  @Override
  public Optimizer create(int numParams, boolean[] decayMask, Tensors tensors) {
    return new LarsOptimizer(this, numParams, tensors);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", NAME);
    m.put("lr", lr);
    m.put("momentum", momentum);
    m.put("weight_decay", weightDecay);
    m.put("trust_coefficient", trustCoefficient);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LarsConfig && toMap().equals(((LarsConfig) o).toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return toMap().toString();
  }

  /** Collects the hyperparameters; {@link #build()} validates them all at once. */
  public static final class Builder {
    private double lr = Double.NaN;
    private double momentum = 0.9;
    private double weightDecay = 5e-4;
    private double trustCoefficient = 1e-3;

    private Builder() {}

    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder trustCoefficient(double trustCoefficient) {
      this.trustCoefficient = trustCoefficient;
      return this;
    }

    /** Every problem with the current values, each naming its key; empty when valid. */
    public List<String> problems() {
      List<String> p = new ArrayList<>();
      String s = SECTION;
      Checks.learningRate(p, s, NAME, lr);
      Checks.inZeroOneOpen(p, s, "momentum", null, momentum);
      Checks.nonNegative(p, s, "weight_decay", null, weightDecay);
      Checks.positive(p, s, "trust_coefficient", null, trustCoefficient);
      return p;
    }

    public LarsConfig build() {
      Checks.throwIfAny(problems());
      return new LarsConfig(this);
    }
  }
}
