package org.sparkprop.driver.optim;

import com.typesafe.config.Config;
import java.util.List;

/**
 * What {@link GuardedOptimizer} does when a gradient has a NaN or infinite entry (or the loss is
 * not finite): config key {@code gradient.on_non_finite}. Either way the parameters and the
 * optimizer state are left untouched.
 */
public enum NonFiniteGradientPolicy {
  /** Throw a {@link NonFiniteGradientException} naming the step and the number of bad entries. */
  FAIL("fail"),
  /** Skip the step (no update, no optimizer step counted) and count it. */
  SKIP("skip");

  /** The config key, in the {@link GradientClipping#SECTION} section. */
  public static final String KEY = "on_non_finite";
  /** The default: stop the run. */
  public static final NonFiniteGradientPolicy DEFAULT = FAIL;

  private final String configName;

  NonFiniteGradientPolicy(String configName) {
    this.configName = configName;
  }

  /** The config value, {@code "fail"} or {@code "skip"}. */
  public String configName() {
    return configName;
  }

  /**
   * Reads {@code on_non_finite} (default fail) from the {@code gradient} section.
   *
   * @param problems receives {@code "gradient.on_non_finite: ..."} if the value is not valid
   * @return the policy, or null if the value was not valid
   */
  public static NonFiniteGradientPolicy fromConfig(Config gradientSection, List<String> problems) {
    ConfigReader r = new ConfigReader(gradientSection, GradientClipping.SECTION, problems);
    int before = problems.size();
    String value = r.string(KEY, DEFAULT.configName);
    if (problems.size() > before) {
      return null;
    }
    for (NonFiniteGradientPolicy p : values()) {
      if (p.configName.equals(value)) {
        return p;
      }
    }
    r.problem(KEY, "must be fail or skip, got '" + value + "'");
    return null;
  }
}
