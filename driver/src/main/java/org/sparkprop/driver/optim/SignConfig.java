package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sign descent: {@code sign} and {@code signum} (Bernstein et al. 2018, "signSGD"). Per entry:
 *
 * <pre>
 * g = grad + weight_decay·θ                       (coupled, decayed entries only)
 * sign:    θ = θ − lr·sign(g)
 * signum:  b = momentum·b + (1 − momentum)·g;  θ = θ − lr·sign(b)     (b starts at 0)
 * </pre>
 *
 * sign(0) = 0. State: {@code momentum_buffer} (signum). The learning rate has no default.
 */
public final class SignConfig implements OptimizerConfig {

  public static final String SIGN = "sign";
  public static final String SIGNUM = "signum";
  /** Signum's default momentum. */
  public static final double DEFAULT_MOMENTUM = 0.9;
  public static final double DEFAULT_WEIGHT_DECAY = 0.0;
  /** The keys of the {@code optimizer} section for sign. */
  public static final List<String> SIGN_KEYS = List.of("name", "lr", "weight_decay");
  /** The keys of the {@code optimizer} section for signum. */
  public static final List<String> SIGNUM_KEYS =
      List.of("name", "lr", "momentum", "weight_decay");

  /** Plain sign descent or sign of a momentum buffer. */
  public enum Variant {
    SIGN,
    SIGNUM
  }

  private final Variant variant;
  private final double lr;
  private final double momentum;
  private final double weightDecay;

  private SignConfig(Builder b) {
    this.variant = b.variant;
    this.lr = b.lr;
    this.momentum = b.momentum;
    this.weightDecay = b.weightDecay;
  }

  /** A builder for {@code sign}; the learning rate must be set. */
  public static Builder sign() {
    return new Builder(Variant.SIGN);
  }

  /** A builder for {@code signum} (momentum 0.9); the learning rate must be set. */
  public static Builder signum() {
    return new Builder(Variant.SIGNUM);
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder(variant).lr(lr).weightDecay(weightDecay);
    b.momentum = momentum;
    return b;
  }

  static Builder read(ConfigReader r, Variant variant) {
    Builder b = new Builder(variant);
    b.lr = r.number("lr", b.lr);
    if (variant == Variant.SIGNUM) {
      b.momentum = r.number("momentum", b.momentum);
    }
    b.weightDecay = r.number("weight_decay", b.weightDecay);
    return b;
  }

  @Override
  public String name() {
    return variant == Variant.SIGNUM ? SIGNUM : SIGN;
  }

  @Override
  public double lr() {
    return lr;
  }

  public Variant variant() {
    return variant;
  }

  /** The momentum of signum; 0 for sign. */
  public double momentum() {
    return momentum;
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
    return new SignOptimizer(this, numParams, decayMask);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name());
    m.put("lr", lr);
    if (variant == Variant.SIGNUM) {
      m.put("momentum", momentum);
    }
    m.put("weight_decay", weightDecay);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignConfig && toMap().equals(((SignConfig) o).toMap());
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
    private final Variant variant;
    private double lr = Double.NaN;
    private double momentum;
    private double weightDecay = DEFAULT_WEIGHT_DECAY;

    private Builder(Variant variant) {
      this.variant = Objects.requireNonNull(variant, "variant");
      this.momentum = variant == Variant.SIGNUM ? DEFAULT_MOMENTUM : 0.0;
    }

    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** Signum only; sign has no momentum. */
    public Builder momentum(double momentum) {
      if (variant != Variant.SIGNUM) {
        throw new IllegalStateException("sign has no momentum; use SignConfig.signum()");
      }
      this.momentum = momentum;
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
      Checks.learningRate(p, s, variant == Variant.SIGNUM ? SIGNUM : SIGN, lr);
      Checks.inZeroOneOpen(p, s, "momentum", null, momentum);
      Checks.nonNegative(p, s, "weight_decay", null, weightDecay);
      return p;
    }

    /** The config; throws {@link IllegalArgumentException} listing every problem. */
    public SignConfig build() {
      Checks.throwIfAny(problems());
      return new SignConfig(this);
    }
  }
}
