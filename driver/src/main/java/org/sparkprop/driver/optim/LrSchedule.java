package org.sparkprop.driver.optim;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A learning-rate schedule: the learning rate of each step (1-based) from a base learning rate
 * (the optimizer's {@code lr}). Immutable. With W = {@code warmup_steps} (any type, default 0)
 * and s the step:
 *
 * <pre>
 * s &le; W:  lr = base·s/W                          (linear warm-up: base/W at step 1, base at W)
 * s &gt; W:  with k = s − W (the steps after warm-up):
 *   constant     base
 *   warmup       base                              (a constant schedule that requires W &ge; 1)
 *   step         base·gamma^floor((k − 1)/step_size)     (PyTorch StepLR)
 *   exponential  base·gamma^(k − 1)                      (PyTorch ExponentialLR)
 *   cosine       min_lr + (base − min_lr)·(1 + cos(π·k/(T − W)))/2,  T = total steps;
 *                reaches min_lr at step T and stays there
 * </pre>
 *
 * <p>A schedule read by {@link #fromConfig(Config, long, List)} has no base learning rate yet:
 * bind it with {@link #withBaseLr} (or let {@link GuardedOptimizer} bind it to the optimizer's
 * lr) before calling {@link #lr}.
 */
public final class LrSchedule {

  /** The config section the error messages name: {@code "lr_schedule"}. */
  public static final String SECTION = "lr_schedule";
  public static final long DEFAULT_WARMUP_STEPS = 0;
  /** The default decay factor of {@code step} (PyTorch's StepLR); exponential has none. */
  public static final double DEFAULT_STEP_GAMMA = 0.1;
  public static final double DEFAULT_MIN_LR = 0.0;

  /** The shape of a schedule; {@link #configName()} is the value of {@code lr_schedule.type}. */
  public enum Type {
    CONSTANT("constant", List.of("type", "warmup_steps")),
    STEP("step", List.of("type", "warmup_steps", "step_size", "gamma")),
    EXPONENTIAL("exponential", List.of("type", "warmup_steps", "gamma")),
    COSINE("cosine", List.of("type", "warmup_steps", "min_lr")),
    WARMUP("warmup", List.of("type", "warmup_steps"));

    private final String configName;
    private final List<String> keys;

    Type(String configName, List<String> keys) {
      this.configName = configName;
      this.keys = keys;
    }

    public String configName() {
      return configName;
    }

    static Type of(String configName) {
      for (Type t : values()) {
        if (t.configName.equals(configName)) {
          return t;
        }
      }
      return null;
    }
  }

  private final Type type;
  private final double baseLr;
  private final long warmupSteps;
  private final long stepSize;
  private final double gamma;
  private final double minLr;
  private final long totalSteps;

  private LrSchedule(
      Type type,
      double baseLr,
      long warmupSteps,
      long stepSize,
      double gamma,
      double minLr,
      long totalSteps) {
    this.type = type;
    this.baseLr = baseLr;
    this.warmupSteps = warmupSteps;
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.minLr = minLr;
    this.totalSteps = totalSteps;
  }

  /** The base learning rate at every step. */
  public static LrSchedule constant(double baseLr) {
    return new LrSchedule(Type.CONSTANT, baseLr, 0, 0, Double.NaN, Double.NaN, 0).checked();
  }

  /** Linear warm-up over {@code warmupSteps} steps, then constant. */
  public static LrSchedule warmup(double baseLr, long warmupSteps) {
    return new LrSchedule(Type.WARMUP, baseLr, warmupSteps, 0, Double.NaN, Double.NaN, 0)
        .checked();
  }

  /** Multiplies by {@code gamma} every {@code stepSize} steps. */
  public static LrSchedule step(double baseLr, long stepSize, double gamma) {
    return new LrSchedule(Type.STEP, baseLr, 0, stepSize, gamma, Double.NaN, 0).checked();
  }

  /** Multiplies by {@code gamma} every step. */
  public static LrSchedule exponential(double baseLr, double gamma) {
    return new LrSchedule(Type.EXPONENTIAL, baseLr, 0, 0, gamma, Double.NaN, 0).checked();
  }

  /** Cosine from the base lr down to {@code minLr} at step {@code totalSteps}. */
  public static LrSchedule cosine(double baseLr, long totalSteps, double minLr) {
    return new LrSchedule(Type.COSINE, baseLr, 0, 0, Double.NaN, minLr, totalSteps).checked();
  }

  /** This schedule preceded by {@code warmupSteps} steps of linear warm-up. */
  public LrSchedule withWarmup(long warmupSteps) {
    return new LrSchedule(type, baseLr, warmupSteps, stepSize, gamma, minLr, totalSteps)
        .checked();
  }

  /**
   * This schedule with base learning rate {@code baseLr}; throws {@link IllegalArgumentException}
   * if it does not fit (e.g. {@code min_lr} above it).
   */
  public LrSchedule withBaseLr(double baseLr) {
    return new LrSchedule(type, baseLr, warmupSteps, stepSize, gamma, minLr, totalSteps)
        .checked();
  }

  private LrSchedule checked() {
    Checks.throwIfAny(problems(true));
    return this;
  }

  /** Problems of this schedule; the base lr is checked only if {@code bound}. */
  private List<String> problems(boolean bound) {
    List<String> p = new ArrayList<>();
    String s = SECTION;
    if (bound && (!(baseLr > 0) || Double.isInfinite(baseLr))) {
      p.add("the base learning rate (optimizer.lr) of a schedule must be > 0 and finite, got "
          + baseLr);
    }
    if (warmupSteps < 0) {
      p.add(Checks.prefix(s, "warmup_steps") + "must be >= 0, got " + warmupSteps);
    }
    switch (type) {
      case WARMUP:
        if (warmupSteps < 1) {
          p.add(Checks.prefix(s, "warmup_steps") + "must be >= 1 for type = warmup, got "
              + warmupSteps);
        }
        break;
      case STEP:
        if (stepSize < 1) {
          p.add(Checks.prefix(s, "step_size") + "must be >= 1 for type = step, got " + stepSize);
        }
        checkGamma(p);
        break;
      case EXPONENTIAL:
        checkGamma(p);
        break;
      case COSINE:
        if (totalSteps < 0) {
          // Not known yet (the config is checked before the data is read); checked again later.
          Checks.nonNegative(p, s, "min_lr", null, minLr);
          break;
        }
        if (totalSteps == 0) {
          p.add(Checks.prefix(s, "type")
              + "cosine needs the run's total number of steps, which is not known (got "
              + totalSteps + ")");
        } else if (warmupSteps >= totalSteps) {
          p.add(Checks.prefix(s, "warmup_steps") + "must be < the total number of steps ("
              + totalSteps + ") for type = cosine, got " + warmupSteps);
        }
        Checks.nonNegative(p, s, "min_lr", null, minLr);
        if (bound && minLr > baseLr) {
          p.add(Checks.prefix(s, "min_lr") + "must be <= the base learning rate (optimizer.lr = "
              + baseLr + "), got " + minLr);
        }
        break;
      default:
        break;
    }
    return p;
  }

  private void checkGamma(List<String> p) {
    if (Double.isNaN(gamma)) {
      p.add(Checks.prefix(SECTION, "gamma") + "is required for type = " + type.configName());
    } else if (!(gamma > 0 && gamma <= 1)) {
      p.add(Checks.prefix(SECTION, "gamma") + "must be in (0, 1], got " + gamma);
    }
  }

  /** The schedule types {@code lr_schedule.type} accepts. */
  public static List<String> types() {
    List<String> t = new ArrayList<>();
    for (Type type : Type.values()) {
      t.add(type.configName());
    }
    return Collections.unmodifiableList(t);
  }

  /**
   * The keys valid in the {@code lr_schedule} section for {@code type}; for an unknown type (or
   * null) the union of all types' keys, so that only the bad type itself gets reported.
   */
  public static Set<String> keysFor(String type) {
    Type t = Type.of(type);
    Set<String> keys = new LinkedHashSet<>();
    for (Type each : Type.values()) {
      if (t == null || t == each) {
        keys.addAll(each.keys);
      }
    }
    return Collections.unmodifiableSet(keys);
  }

  /**
   * Reads an {@code lr_schedule} section without a base lr (bind it with {@link #withBaseLr}).
   * Keys: {@code type} (default constant), {@code warmup_steps} (default 0), {@code step_size},
   * {@code gamma}, {@code min_lr}.
   *
   * @param totalSteps the run's total number of optimizer steps (needed by cosine only; negative
   *     when not known yet, which skips the checks that need it)
   * @param problems receives every problem, each {@code "lr_schedule.<key>: ..."}
   * @return the schedule, or null if this section had any problem
   */
  public static LrSchedule fromConfig(
      Config scheduleSection, long totalSteps, List<String> problems) {
    return read(scheduleSection, totalSteps, Double.NaN, problems);
  }

  /** As {@link #fromConfig(Config, long, List)}, bound to {@code baseLr} and checked against it. */
  public static LrSchedule fromConfig(
      Config scheduleSection, long totalSteps, double baseLr, List<String> problems) {
    return read(scheduleSection, totalSteps, baseLr, problems);
  }

  private static LrSchedule read(
      Config section, long totalSteps, double baseLr, List<String> problems) {
    ConfigReader r = new ConfigReader(section, SECTION, problems);
    int before = problems.size();
    String typeName = r.string("type", Type.CONSTANT.configName());
    Type type = Type.of(typeName);
    if (type == null) {
      r.problem("type", "unknown schedule type '" + typeName + "'; one of " + types()
          + org.sparkprop.driver.config.DidYouMean.hint(typeName, types()));
      return null;
    }
    long warmup = r.integer("warmup_steps", DEFAULT_WARMUP_STEPS);
    long stepSize = type == Type.STEP ? r.integer("step_size", 0) : 0;
    double gamma =
        type == Type.STEP
            ? r.number("gamma", DEFAULT_STEP_GAMMA)
            : type == Type.EXPONENTIAL ? r.number("gamma", Double.NaN) : Double.NaN;
    double minLr = type == Type.COSINE ? r.number("min_lr", DEFAULT_MIN_LR) : Double.NaN;
    if (type == Type.STEP && !section.hasPathOrNull("step_size")) {
      r.problem("step_size", "is required for type = step");
    }
    LrSchedule schedule =
        new LrSchedule(
            type, baseLr, warmup, stepSize, gamma, minLr, type == Type.COSINE ? totalSteps : 0);
    r.addRangeProblems(schedule.problems(!Double.isNaN(baseLr)));
    return problems.size() == before ? schedule : null;
  }

  /**
   * The learning rate of step {@code step} (1-based).
   *
   * @throws IllegalStateException if the schedule has no base learning rate yet
   */
  public double lr(long step) {
    if (step < 1) {
      throw new IllegalArgumentException("steps are 1-based, got " + step);
    }
    if (Double.isNaN(baseLr)) {
      throw new IllegalStateException(
          "this schedule has no base learning rate yet: call withBaseLr(optimizer.lr())");
    }
    if (step <= warmupSteps) {
      return baseLr * step / warmupSteps;
    }
    long k = step - warmupSteps;
    switch (type) {
      case STEP:
        return baseLr * Math.pow(gamma, (k - 1) / stepSize);
      case EXPONENTIAL:
        return baseLr * Math.pow(gamma, k - 1);
      case COSINE:
        // As PyTorch's CosineAnnealingLR with T_max = the steps after warm-up: the first
        // post-warm-up step runs at the base rate, min_lr is reached after the last step.
        double progress = Math.min(1.0, (double) (k - 1) / (totalSteps - warmupSteps));
        return minLr + (baseLr - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
      default:
        return baseLr;
    }
  }

  public Type type() {
    return type;
  }

  /** The base learning rate; NaN until bound. */
  public double baseLr() {
    return baseLr;
  }

  /** Whether a base learning rate is set, so that {@link #lr} can be called. */
  public boolean isBound() {
    return !Double.isNaN(baseLr);
  }

  public long warmupSteps() {
    return warmupSteps;
  }

  /** True when every step gets the base learning rate (constant, no warm-up). */
  public boolean isConstant() {
    return warmupSteps == 0 && (type == Type.CONSTANT || type == Type.WARMUP);
  }

  /** The resolved keys of this schedule, for the run's config dump (the base lr excluded). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type.configName());
    m.put("warmup_steps", warmupSteps);
    if (type == Type.STEP) {
      m.put("step_size", stepSize);
    }
    if (type == Type.STEP || type == Type.EXPONENTIAL) {
      m.put("gamma", gamma);
    }
    if (type == Type.COSINE) {
      m.put("min_lr", minLr);
    }
    return Collections.unmodifiableMap(m);
  }

  /** E.g. {@code "cosine (warmup_steps = 100)"}. */
  String describe() {
    return type.configName() + (warmupSteps > 0 ? " (warmup_steps = " + warmupSteps + ")" : "");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LrSchedule)) {
      return false;
    }
    LrSchedule s = (LrSchedule) o;
    return toMap().equals(s.toMap())
        && Double.compare(baseLr, s.baseLr) == 0
        && totalSteps == s.totalSteps;
  }

  @Override
  public int hashCode() {
    return toMap().hashCode() * 31 + Double.hashCode(baseLr);
  }

  @Override
  public String toString() {
    return "LrSchedule" + toMap() + "{baseLr=" + baseLr + ", totalSteps=" + totalSteps + "}";
  }
}
