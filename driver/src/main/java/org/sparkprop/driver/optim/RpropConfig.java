package org.sparkprop.driver.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Rprop family for full-batch training, per Igel &amp; Hüsken (2000), "Improving the Rprop
 * learning algorithm". Each weight has its own step size Δ (starting at {@code lr}); only the
 * sign of the gradient is used. Per entry, with g = grad + weight_decay·θ and g' the stored
 * previous gradient:
 *
 * <pre>
 * g'·g &gt; 0:  Δ = min(Δ·eta_plus,  max_step);  Δw = −sign(g)·Δ;  θ += Δw;  g' = g
 * g'·g = 0:  Δ unchanged;                       Δw = −sign(g)·Δ;  θ += Δw;  g' = g
 * g'·g &lt; 0:  Δ = max(Δ·eta_minus, min_step), then by variant:
 *   rprop-plus    (Rprop+)   θ −= Δw_prev (weight backtracking);                   g' = 0
 *   irprop-plus   (iRprop+)  θ −= Δw_prev only if the loss went up (E_t &gt; E_t−1);  g' = 0
 *   rprop-minus   (Rprop−)   Δw = −sign(g)·Δ;  θ += Δw;                            g' = g
 *   irprop-minus  (iRprop−)  no change to θ;                                      g' = 0
 * </pre>
 *
 * iRprop− is exactly PyTorch's {@code torch.optim.Rprop}. The optimizers ignore the learning rate
 * passed to {@code step}: {@code lr} is only the initial step size Δ₀ and must lie within {@code
 * step_sizes}. For iRprop+, E is the loss passed to {@code step} plus ½·weight_decay·Σθ² over the
 * decayed entries (the objective the coupled weight decay descends).
 *
 * <p>State: {@code prev_grad} (g', zeroed after a sign change), {@code step_size} (Δ), {@code
 * prev_delta} (the change applied to each weight by the last step; the plus variants), scalar
 * {@code prev_loss} (iRprop+; NaN before the first step).
 */
public final class RpropConfig implements OptimizerConfig {

  public static final double DEFAULT_LR = 1e-2;
  public static final double DEFAULT_ETA_MINUS = 0.5;
  public static final double DEFAULT_ETA_PLUS = 1.2;
  public static final double DEFAULT_MIN_STEP = 1e-6;
  public static final double DEFAULT_MAX_STEP = 50.0;
  public static final double DEFAULT_WEIGHT_DECAY = 0.0;
  /** The keys of the {@code optimizer} section for the Rprop variants. */
  public static final List<String> KEYS =
      List.of("name", "lr", "etas", "step_sizes", "weight_decay");

  /** The four variants of Igel &amp; Hüsken (2000). */
  public enum Variant {
    /** Rprop+: Rprop with weight backtracking. */
    RPROP_PLUS("rprop-plus"),
    /** Rprop−: no backtracking, the gradient is kept on a sign change. */
    RPROP_MINUS("rprop-minus"),
    /** iRprop+: backtracks only if the loss went up. */
    IRPROP_PLUS("irprop-plus"),
    /** iRprop−: on a sign change that gradient is zeroed (PyTorch's Rprop). */
    IRPROP_MINUS("irprop-minus");

    private final String configName;

    Variant(String configName) {
      this.configName = configName;
    }

    /** The value of {@code optimizer.name}. */
    public String configName() {
      return configName;
    }

    /** Whether this variant records the applied weight changes ({@code prev_delta}). */
    boolean backtracks() {
      return this == RPROP_PLUS || this == IRPROP_PLUS;
    }

    /** The variant for a config name, or null. */
    static Variant of(String configName) {
      for (Variant v : values()) {
        if (v.configName.equals(configName)) {
          return v;
        }
      }
      return null;
    }
  }

  private final Variant variant;
  private final double lr;
  private final double etaMinus;
  private final double etaPlus;
  private final double minStep;
  private final double maxStep;
  private final double weightDecay;

  private RpropConfig(Builder b) {
    this.variant = b.variant;
    this.lr = b.lr;
    this.etaMinus = b.etaMinus;
    this.etaPlus = b.etaPlus;
    this.minStep = b.minStep;
    this.maxStep = b.maxStep;
    this.weightDecay = b.weightDecay;
  }

  /** A builder for {@code variant} with the defaults. */
  public static Builder builder(Variant variant) {
    return new Builder(variant);
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder(variant)
        .lr(lr)
        .etas(etaMinus, etaPlus)
        .stepSizes(minStep, maxStep)
        .weightDecay(weightDecay);
  }

  static Builder read(ConfigReader r, Variant variant) {
    Builder b = new Builder(variant);
    b.lr = r.number("lr", b.lr);
    double[] etas = r.pair("etas", new double[] {b.etaMinus, b.etaPlus}, "eta_minus", "eta_plus");
    b.etaMinus = etas[0];
    b.etaPlus = etas[1];
    double[] steps =
        r.pair("step_sizes", new double[] {b.minStep, b.maxStep}, "min_step", "max_step");
    b.minStep = steps[0];
    b.maxStep = steps[1];
    b.weightDecay = r.number("weight_decay", b.weightDecay);
    return b;
  }

  @Override
  public String name() {
    return variant.configName();
  }

  /** The initial step size Δ₀. */
  @Override
  public double lr() {
    return lr;
  }

  public Variant variant() {
    return variant;
  }

  public double etaMinus() {
    return etaMinus;
  }

  public double etaPlus() {
    return etaPlus;
  }

  public double minStep() {
    return minStep;
  }

  public double maxStep() {
    return maxStep;
  }

  public double weightDecay() {
    return weightDecay;
  }

  @Override
  public boolean requiresFullBatch() {
    return true;
  }

  @Override
  public boolean usesLoss() {
    return variant == Variant.IRPROP_PLUS;
  }

  @Override
  public Optimizer create(int numParams, boolean[] decayMask) {
    return new RpropOptimizer(this, numParams, decayMask);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name());
    m.put("lr", lr);
    m.put("etas", List.of(etaMinus, etaPlus));
    m.put("step_sizes", List.of(minStep, maxStep));
    m.put("weight_decay", weightDecay);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RpropConfig && toMap().equals(((RpropConfig) o).toMap());
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
    private double lr = DEFAULT_LR;
    private double etaMinus = DEFAULT_ETA_MINUS;
    private double etaPlus = DEFAULT_ETA_PLUS;
    private double minStep = DEFAULT_MIN_STEP;
    private double maxStep = DEFAULT_MAX_STEP;
    private double weightDecay = DEFAULT_WEIGHT_DECAY;

    private Builder(Variant variant) {
      this.variant = Objects.requireNonNull(variant, "variant");
    }

    /** The initial step size Δ₀. */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    public Builder etas(double etaMinus, double etaPlus) {
      this.etaMinus = etaMinus;
      this.etaPlus = etaPlus;
      return this;
    }

    public Builder stepSizes(double minStep, double maxStep) {
      this.minStep = minStep;
      this.maxStep = maxStep;
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
      Checks.learningRate(p, s, variant.configName(), lr);
      if (!(etaMinus > 0 && etaMinus < 1)) {
        p.add(Checks.prefix(s, "etas") + "eta_minus must be in (0, 1), got " + etaMinus);
      }
      if (!(etaPlus > 1) || Double.isInfinite(etaPlus)) {
        p.add(Checks.prefix(s, "etas") + "eta_plus must be > 1 and finite, got " + etaPlus);
      }
      Checks.positive(p, s, "step_sizes", "min_step", minStep);
      Checks.positive(p, s, "step_sizes", "max_step", maxStep);
      if (minStep > maxStep) {
        p.add(Checks.prefix(s, "step_sizes") + "min_step must be <= max_step, got [" + minStep
            + ", " + maxStep + "]");
      } else if (lr > 0 && (lr < minStep || lr > maxStep)) {
        p.add(Checks.prefix(s, "lr") + "the initial step size must lie within step_sizes ["
            + minStep + ", " + maxStep + "], got " + lr);
      }
      Checks.nonNegative(p, s, "weight_decay", null, weightDecay);
      return p;
    }

    /** The config; throws {@link IllegalArgumentException} listing every problem. */
    public RpropConfig build() {
      Checks.throwIfAny(problems());
      return new RpropConfig(this);
    }
  }
}
