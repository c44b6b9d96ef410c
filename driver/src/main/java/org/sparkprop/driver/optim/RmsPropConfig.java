package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rmsprop}, as PyTorch's {@code torch.optim.RMSprop} (no bias correction). Per entry:
 *
 * <pre>
 * g  = grad + weight_decay·θ                     (decayed entries only)
 * v  = alpha·v + (1 − alpha)·g²
 * ḡ  = alpha·ḡ + (1 − alpha)·g                   (centered only)
 * d  = sqrt(v − ḡ²) + eps   (centered)  |  sqrt(v) + eps     (eps outside the square root)
 * b  = momentum·b + g/d;  θ = θ − lr·b           (momentum &gt; 0; b starts at 0)
 * θ  = θ − lr·g/d                                (momentum = 0)
 * </pre>
 *
 * <p>Centered: {@code v − ḡ²} is mathematically &ge; 0; a negative value from float rounding is
 * taken as 0 (PyTorch would produce NaN there).
 *
 * <p>State: {@code square_avg}, {@code grad_avg} (centered), {@code momentum_buffer} (momentum
 * &gt; 0).
 */
public final class RmsPropConfig implements OptimizerConfig {

  public static final String NAME = "rmsprop";
  public static final double DEFAULT_LR = 1e-2;
  public static final double DEFAULT_ALPHA = 0.99;
  public static final double DEFAULT_EPS = 1e-8;
  public static final double DEFAULT_WEIGHT_DECAY = 0.0;
  public static final double DEFAULT_MOMENTUM = 0.0;
  public static final boolean DEFAULT_CENTERED = false;
  /** The keys of the {@code optimizer} section for rmsprop. */
  public static final List<String> KEYS =
      List.of("name", "lr", "alpha", "eps", "weight_decay", "momentum", "centered");

  private final double lr;
  private final double alpha;
  private final double eps;
  private final double weightDecay;
  private final double momentum;
  private final boolean centered;

  private RmsPropConfig(Builder b) {
    this.lr = b.lr;
    this.alpha = b.alpha;
    this.eps = b.eps;
    this.weightDecay = b.weightDecay;
    this.momentum = b.momentum;
    this.centered = b.centered;
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The config with every default. */
  public static RmsPropConfig defaults() {
    return builder().build();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .lr(lr)
        .alpha(alpha)
        .eps(eps)
        .weightDecay(weightDecay)
        .momentum(momentum)
        .centered(centered);
  }

  static Builder read(ConfigReader r) {
    Builder b = new Builder();
    b.lr = r.number("lr", b.lr);
    b.alpha = r.number("alpha", b.alpha);
    b.eps = r.number("eps", b.eps);
    b.weightDecay = r.number("weight_decay", b.weightDecay);
    b.momentum = r.number("momentum", b.momentum);
    b.centered = r.bool("centered", b.centered);
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

  public double alpha() {
    return alpha;
  }

  public double eps() {
    return eps;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public double momentum() {
    return momentum;
  }

  public boolean centered() {
    return centered;
  }

  @Override
  public boolean requiresFullBatch() {
    return false;
  }

  @Override
  public Optimizer create(int numParams, boolean[] decayMask) {
    return new RmsPropOptimizer(this, numParams, decayMask);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", NAME);
    m.put("lr", lr);
    m.put("alpha", alpha);
    m.put("eps", eps);
    m.put("weight_decay", weightDecay);
    m.put("momentum", momentum);
    m.put("centered", centered);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RmsPropConfig && toMap().equals(((RmsPropConfig) o).toMap());
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
    private double lr = DEFAULT_LR;
    private double alpha = DEFAULT_ALPHA;
    private double eps = DEFAULT_EPS;
    private double weightDecay = DEFAULT_WEIGHT_DECAY;
    private double momentum = DEFAULT_MOMENTUM;
    private boolean centered = DEFAULT_CENTERED;

    private Builder() {}

    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    public Builder centered(boolean centered) {
      this.centered = centered;
      return this;
    }

    /** Every problem with the current values, each naming its key; empty when valid. */
    public List<String> problems() {
      List<String> p = new ArrayList<>();
      String s = SECTION;
      Checks.learningRate(p, s, NAME, lr);
      Checks.inZeroOneOpen(p, s, "alpha", null, alpha);
      Checks.positive(p, s, "eps", null, eps);
      Checks.nonNegative(p, s, "weight_decay", null, weightDecay);
      Checks.inZeroOneOpen(p, s, "momentum", null, momentum);
      return p;
    }

    /** The config; throws {@link IllegalArgumentException} listing every problem. */
    public RmsPropConfig build() {
      Checks.throwIfAny(problems());
      return new RmsPropConfig(this);
    }
  }
}
