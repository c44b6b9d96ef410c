package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sgd}: stochastic gradient descent with optional momentum, dampening, Nesterov momentum and
 * coupled weight decay, as PyTorch's {@code torch.optim.SGD}. Per entry, at step t:
 *
 * <pre>
 * g = grad + weight_decay·θ                      (decayed entries only)
 * b = g                            if t = 1      (momentum &gt; 0; no dampening on step 1)
 * b = momentum·b + (1 − dampening)·g  otherwise
 * d = g + momentum·b  (nesterov)  |  b  (momentum &gt; 0)  |  g  (no momentum)
 * θ = θ − lr·d
 * </pre>
 *
 * State: {@code momentum_buffer} (only when momentum &gt; 0). The learning rate has no default.
 */
public final class SgdConfig implements OptimizerConfig {

  public static final String NAME = "sgd";
  public static final double DEFAULT_MOMENTUM = 0.0;
  public static final double DEFAULT_DAMPENING = 0.0;
  public static final boolean DEFAULT_NESTEROV = false;
  public static final double DEFAULT_WEIGHT_DECAY = 0.0;
  /** The keys of the {@code optimizer} section for sgd. */
  public static final List<String> KEYS =
      List.of("name", "lr", "momentum", "dampening", "nesterov", "weight_decay");

  private final double lr;
  private final double momentum;
  private final double dampening;
  private final boolean nesterov;
  private final double weightDecay;

  private SgdConfig(Builder b) {
    this.lr = b.lr;
    this.momentum = b.momentum;
    this.dampening = b.dampening;
    this.nesterov = b.nesterov;
    this.weightDecay = b.weightDecay;
  }

  /** A builder with PyTorch's defaults; the learning rate must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .lr(lr)
        .momentum(momentum)
        .dampening(dampening)
        .nesterov(nesterov)
        .weightDecay(weightDecay);
  }

  static Builder read(ConfigReader r) {
    Builder b = new Builder();
    b.lr = r.number("lr", b.lr);
    b.momentum = r.number("momentum", b.momentum);
    b.dampening = r.number("dampening", b.dampening);
    b.nesterov = r.bool("nesterov", b.nesterov);
    b.weightDecay = r.number("weight_decay", b.weightDecay);
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

  public double dampening() {
    return dampening;
  }

  public boolean nesterov() {
    return nesterov;
  }

  public double weightDecay() {
    return weightDecay;
  }

  @Override
  public boolean requiresFullBatch() {
    return false;
  }

  @Override
  public Optimizer create(int numParams, boolean[] decayMask) {
    return new SgdOptimizer(this, numParams, decayMask);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", NAME);
    m.put("lr", lr);
    m.put("momentum", momentum);
    m.put("dampening", dampening);
    m.put("nesterov", nesterov);
    m.put("weight_decay", weightDecay);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SgdConfig && toMap().equals(((SgdConfig) o).toMap());
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
    private double momentum = DEFAULT_MOMENTUM;
    private double dampening = DEFAULT_DAMPENING;
    private boolean nesterov = DEFAULT_NESTEROV;
    private double weightDecay = DEFAULT_WEIGHT_DECAY;

    private Builder() {}

    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    public Builder dampening(double dampening) {
      this.dampening = dampening;
      return this;
    }

    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Every problem with the current values, each naming its key; empty when valid. */
    public List<String> problems() {
      List<String> p = new ArrayList<>();
      String s = SECTION;
      Checks.learningRate(p, s, NAME, lr);
      Checks.inZeroOneOpen(p, s, "momentum", null, momentum);
      Checks.inZeroOneClosed(p, s, "dampening", null, dampening);
      Checks.nonNegative(p, s, "weight_decay", null, weightDecay);
      if (nesterov && !(momentum > 0)) {
        p.add(Checks.prefix(s, "nesterov") + "requires momentum > 0, got momentum = " + momentum);
      }
      if (nesterov && dampening != 0) {
        p.add(Checks.prefix(s, "nesterov") + "requires dampening = 0, got dampening = "
            + dampening);
      }
      return p;
    }

    /** The config; throws {@link IllegalArgumentException} listing every problem. */
    public SgdConfig build() {
      Checks.throwIfAny(problems());
      return new SgdConfig(this);
    }
  }
}
