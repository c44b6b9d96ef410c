package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code adam} and {@code adamw}, as PyTorch's {@code torch.optim.Adam} and {@code AdamW}. Per
 * entry, at step t:
 *
 * <pre>
 * θ  = θ·(1 − lr·weight_decay)                   (adamw: decoupled, decayed entries only)
 * g  = grad + weight_decay·θ                     (adam: coupled L2, decayed entries only)
 * m  = β1·m + (1 − β1)·g
 * v  = β2·v + (1 − β2)·g²
 * v̂  = max(v̂, v)  (amsgrad, the raw v)   |   v
 * θ  = θ − lr/(1 − β1^t) · m / (sqrt(v̂)/sqrt(1 − β2^t) + eps)
 * </pre>
 *
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (amsgrad).
 */
public final class AdamConfig implements OptimizerConfig {

  public static final String ADAM = "adam";
  public static final String ADAMW = "adamw";
  public static final double DEFAULT_LR = 1e-3;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPS = 1e-8;
  /** Adam's default weight decay (coupled). */
  public static final double DEFAULT_WEIGHT_DECAY_ADAM = 0.0;
  /** AdamW's default weight decay (decoupled). */
  public static final double DEFAULT_WEIGHT_DECAY_ADAMW = 1e-2;
  public static final boolean DEFAULT_AMSGRAD = false;
  /** The keys of the {@code optimizer} section for adam and adamw. */
  public static final List<String> KEYS =
      List.of("name", "lr", "betas", "eps", "weight_decay", "amsgrad");

  /** How weight decay enters the update. */
  public enum WeightDecay {
    /** L2 in the gradient, g += wd·θ ({@code adam}). */
    COUPLED,
    /** θ ← θ(1 − lr·wd) before the Adam step ({@code adamw}). */
    DECOUPLED
  }

  private final WeightDecay decay;
  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean amsgrad;

  private AdamConfig(Builder b) {
    this.decay = b.decay;
    this.lr = b.lr;
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.eps = b.eps;
    this.weightDecay = b.weightDecay;
    this.amsgrad = b.amsgrad;
  }

  /** A builder for {@code adam} with PyTorch's defaults. */
  public static Builder adam() {
    return new Builder(WeightDecay.COUPLED);
  }

  /** A builder for {@code adamw} with PyTorch's defaults (weight decay 1e-2). */
  public static Builder adamw() {
    return new Builder(WeightDecay.DECOUPLED);
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder(decay)
        .lr(lr)
        .betas(beta1, beta2)
        .eps(eps)
        .weightDecay(weightDecay)
        .amsgrad(amsgrad);
  }

  static Builder read(ConfigReader r, WeightDecay decay) {
    Builder b = new Builder(decay);
    b.lr = r.number("lr", b.lr);
    double[] betas = r.pair("betas", new double[] {b.beta1, b.beta2}, "beta1", "beta2");
    b.beta1 = betas[0];
    b.beta2 = betas[1];
    b.eps = r.number("eps", b.eps);
    b.weightDecay = r.number("weight_decay", b.weightDecay);
    b.amsgrad = r.bool("amsgrad", b.amsgrad);
    return b;
  }

  @Override
  public String name() {
    return decay == WeightDecay.DECOUPLED ? ADAMW : ADAM;
  }

  @Override
  public double lr() {
    return lr;
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double eps() {
    return eps;
  }

  public double weightDecay() {
    return weightDecay;
  }

  /** {@link WeightDecay#DECOUPLED} for {@code adamw}. */
  public WeightDecay weightDecayMode() {
    return decay;
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  public boolean requiresFullBatch() {
    return false;
  }

  @Override
  public Optimizer create(int numParams, boolean[] decayMask) {
    return new AdamOptimizer(this, numParams, decayMask);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name());
    m.put("lr", lr);
    m.put("betas", List.of(beta1, beta2));
    m.put("eps", eps);
    m.put("weight_decay", weightDecay);
    m.put("amsgrad", amsgrad);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdamConfig && toMap().equals(((AdamConfig) o).toMap());
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
    private final WeightDecay decay;
    private double lr = DEFAULT_LR;
    private double beta1 = DEFAULT_BETA1;
    private double beta2 = DEFAULT_BETA2;
    private double eps = DEFAULT_EPS;
    private double weightDecay;
    private boolean amsgrad = DEFAULT_AMSGRAD;

    private Builder(WeightDecay decay) {
      this.decay = decay;
      this.weightDecay =
          decay == WeightDecay.DECOUPLED ? DEFAULT_WEIGHT_DECAY_ADAMW : DEFAULT_WEIGHT_DECAY_ADAM;
    }

    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    public Builder betas(double beta1, double beta2) {
      this.beta1 = beta1;
      this.beta2 = beta2;
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

    public Builder amsgrad(boolean amsgrad) {
      this.amsgrad = amsgrad;
      return this;
    }

    /** Every problem with the current values, each naming its key; empty when valid. */
    public List<String> problems() {
      List<String> p = new ArrayList<>();
      String s = SECTION;
      Checks.learningRate(p, s, decay == WeightDecay.DECOUPLED ? ADAMW : ADAM, lr);
      Checks.inZeroOneOpen(p, s, "betas", "beta1", beta1);
      Checks.inZeroOneOpen(p, s, "betas", "beta2", beta2);
      Checks.positive(p, s, "eps", null, eps);
      Checks.nonNegative(p, s, "weight_decay", null, weightDecay);
      return p;
    }

    /** The config; throws {@link IllegalArgumentException} listing every problem. */
    public AdamConfig build() {
      Checks.throwIfAny(problems());
      return new AdamConfig(this);
    }
  }
}
