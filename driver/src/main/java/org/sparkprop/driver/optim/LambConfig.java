package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LAMB (You et al. 2019, "Large Batch Optimization for Deep Learning: Training BERT in 76
 * minutes", Algorithm 2): Adam's moments with a layer-wise trust ratio. Per step t, per entry
 * and then per weight tensor W (biases take the Adam step with a trust ratio of 1 and no decay,
 * as in the paper's experiments):
 *
 * <pre>
 * m = β1·m + (1 − β1)·g;   v = β2·v + (1 − β2)·g²
 * u = (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + eps) + weight_decay·θ
 * θ = θ − lr · (‖θ_W‖ / ‖u_W‖) · u          (the ratio is 1 when either norm is 0)
 * </pre>
 *
 * State: {@code exp_avg}, {@code exp_avg_sq}. Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-6,
 * weight_decay 0.01.
 */
public final class LambConfig implements OptimizerConfig {
  public static final String NAME = "lamb";
  public static final List<String> KEYS = List.of("name", "lr", "betas", "eps", "weight_decay");

  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;

  private LambConfig(Builder b) {
    this.lr = b.lr;
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.eps = b.eps;
    this.weightDecay = b.weightDecay;
  }

  public static Builder builder() {
    return new Builder();
  }

  static Builder read(ConfigReader r) {
    Builder b = new Builder();
    b.lr = r.number("lr", b.lr);
    double[] betas = r.pair("betas", new double[] {b.beta1, b.beta2}, "beta1", "beta2");
    b.beta1 = betas[0];
    b.beta2 = betas[1];
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
    return new LambOptimizer(this, numParams, tensors);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", NAME);
    m.put("lr", lr);
    m.put("betas", List.of(beta1, beta2));
    m.put("eps", eps);
    m.put("weight_decay", weightDecay);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LambConfig && toMap().equals(((LambConfig) o).toMap());
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
    private double lr = 1e-3;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-6;
    private double weightDecay = 0.01;

    private Builder() {}

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

    /** Every problem with the current values, each naming its key; empty when valid. */
    public List<String> problems() {
      List<String> p = new ArrayList<>();
      String s = SECTION;
      Checks.learningRate(p, s, NAME, lr);
      Checks.inZeroOneOpen(p, s, "betas", "beta1", beta1);
      Checks.inZeroOneOpen(p, s, "betas", "beta2", beta2);
      Checks.positive(p, s, "eps", null, eps);
      Checks.nonNegative(p, s, "weight_decay", null, weightDecay);
      return p;
    }

    public LambConfig build() {
      Checks.throwIfAny(problems());
      return new LambConfig(this);
    }
  }
}
