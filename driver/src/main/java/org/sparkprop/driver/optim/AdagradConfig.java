package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code adagrad}, as PyTorch's {@code torch.optim.Adagrad}. Per entry, at step t:
 *
 * <pre>
 * g     = grad + weight_decay·θ                 (decayed entries only)
 * lr_t  = lr / (1 + (t − 1)·lr_decay)
 * sum   = sum + g²                              (sum starts at initial_accumulator_value)
 * θ     = θ − lr_t·g / (sqrt(sum) + eps)        (eps outside the square root)
 * </pre>
 *
 * State: {@code sum}.
 */
public final class AdagradConfig implements OptimizerConfig {

  public static final String NAME = "adagrad";
  public static final double DEFAULT_LR = 1e-2;
  public static final double DEFAULT_LR_DECAY = 0.0;
  public static final double DEFAULT_INITIAL_ACCUMULATOR_VALUE = 0.0;
  public static final double DEFAULT_EPS = 1e-10;
  public static final double DEFAULT_WEIGHT_DECAY = 0.0;
  /** The keys of the {@code optimizer} section for adagrad. */
  public static final List<String> KEYS =
      List.of("name", "lr", "lr_decay", "initial_accumulator_value", "eps", "weight_decay");

  private final double lr;
  private final double lrDecay;
  private final double initialAccumulatorValue;
  private final double eps;
  private final double weightDecay;

  private AdagradConfig(Builder b) {
    this.lr = b.lr;
    this.lrDecay = b.lrDecay;
    this.initialAccumulatorValue = b.initialAccumulatorValue;
    this.eps = b.eps;
    this.weightDecay = b.weightDecay;
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The config with every default. */
  public static AdagradConfig defaults() {
    return builder().build();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .lr(lr)
        .lrDecay(lrDecay)
        .initialAccumulatorValue(initialAccumulatorValue)
        .eps(eps)
        .weightDecay(weightDecay);
  }

  static Builder read(ConfigReader r) {
    Builder b = new Builder();
    b.lr = r.number("lr", b.lr);
    b.lrDecay = r.number("lr_decay", b.lrDecay);
    b.initialAccumulatorValue = r.number("initial_accumulator_value", b.initialAccumulatorValue);
    b.eps = r.number("eps", b.eps);
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

  public double lrDecay() {
    return lrDecay;
  }

  public double initialAccumulatorValue() {
    return initialAccumulatorValue;
  }

  public double eps() {
    return eps;
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
    return new AdagradOptimizer(this, numParams, decayMask);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", NAME);
    m.put("lr", lr);
    m.put("lr_decay", lrDecay);
    m.put("initial_accumulator_value", initialAccumulatorValue);
    m.put("eps", eps);
    m.put("weight_decay", weightDecay);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdagradConfig && toMap().equals(((AdagradConfig) o).toMap());
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
    private double lrDecay = DEFAULT_LR_DECAY;
    private double initialAccumulatorValue = DEFAULT_INITIAL_ACCUMULATOR_VALUE;
    private double eps = DEFAULT_EPS;
    private double weightDecay = DEFAULT_WEIGHT_DECAY;

    private Builder() {}

    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    public Builder lrDecay(double lrDecay) {
      this.lrDecay = lrDecay;
      return this;
    }

    public Builder initialAccumulatorValue(double initialAccumulatorValue) {
      this.initialAccumulatorValue = initialAccumulatorValue;
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

    /** Every problem with the current values, each naming its key; empty when valid. */
    public List<String> problems() {
      List<String> p = new ArrayList<>();
      String s = SECTION;
      Checks.learningRate(p, s, NAME, lr);
      Checks.nonNegative(p, s, "lr_decay", null, lrDecay);
      Checks.nonNegative(p, s, "initial_accumulator_value", null, initialAccumulatorValue);
      Checks.positive(p, s, "eps", null, eps);
      Checks.nonNegative(p, s, "weight_decay", null, weightDecay);
      return p;
    }

    /** The config; throws {@link IllegalArgumentException} listing every problem. */
    public AdagradConfig build() {
      Checks.throwIfAny(problems());
      return new AdagradConfig(this);
    }
  }
}
