package org.sparkprop.driver.optim;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads typed values from one config section and turns every type error into a problem line
 * ({@code "<section>.<key>: expected ..., got ..."}) instead of an exception. Each getter returns
 * the caller's fallback when the key is absent or unreadable, so reading always runs to the end
 * and reports all problems.
 */
final class ConfigReader {

  private final Config section;
  private final String sectionName;
  private final List<String> problems;
  private final Set<String> failedKeys = new LinkedHashSet<>();

  ConfigReader(Config section, String sectionName, List<String> problems) {
    this.section = section;
    this.sectionName = sectionName;
    this.problems = problems;
  }

  /** Adds {@code "<section>.<key>: <message>"}. */
  void problem(String key, String message) {
    failedKeys.add(key);
    problems.add(Checks.prefix(sectionName, key) + message);
  }

  /**
   * Adds the range problems of a builder, dropping those about keys already reported as
   * unreadable here (their value is the fallback, so a second message would mislead).
   */
  void addRangeProblems(List<String> rangeProblems) {
    for (String p : rangeProblems) {
      boolean duplicate = false;
      for (String key : failedKeys) {
        duplicate |= p.startsWith(Checks.prefix(sectionName, key));
      }
      if (!duplicate) {
        problems.add(p);
      }
    }
  }

  /** True when the key is set to a non-null value; an explicit null is reported. */
  boolean has(String key) {
    if (!section.hasPathOrNull(key)) {
      return false;
    }
    if (section.getIsNull(key)) {
      problem(key, "must not be null");
      return false;
    }
    return true;
  }

  double number(String key, double fallback) {
    if (!has(key)) {
      return fallback;
    }
    try {
      return section.getDouble(key);
    } catch (ConfigException e) {
      problem(key, "expected a number, got " + describe(key));
      return fallback;
    }
  }

  /** A whole number (a value like 2.5 is reported, not truncated). */
  long integer(String key, long fallback) {
    if (!has(key)) {
      return fallback;
    }
    double v;
    try {
      v = section.getDouble(key);
    } catch (ConfigException e) {
      problem(key, "expected an integer, got " + describe(key));
      return fallback;
    }
    if (v != Math.rint(v) || Math.abs(v) > 1e15) {
      problem(key, "expected an integer, got " + v);
      return fallback;
    }
    return (long) v;
  }

  boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    try {
      return section.getBoolean(key);
    } catch (ConfigException e) {
      problem(key, "expected true or false, got " + describe(key));
      return fallback;
    }
  }

  String string(String key, String fallback) {
    if (!has(key)) {
      return fallback;
    }
    try {
      return section.getString(key);
    } catch (ConfigException e) {
      problem(key, "expected a string, got " + describe(key));
      return fallback;
    }
  }

  /**
   * A list of exactly two numbers, e.g. {@code betas = [0.9, 0.999]}; the names of the two
   * entries appear in the message when the list is malformed.
   */
  double[] pair(String key, double[] fallback, String first, String second) {
    if (!has(key)) {
      return fallback;
    }
    List<Double> values;
    try {
      values = section.getDoubleList(key);
    } catch (ConfigException e) {
      problem(key, "expected a list [" + first + ", " + second + "] of two numbers, got "
          + describe(key));
      return fallback;
    }
    if (values.size() != 2) {
      problem(key, "expected a list [" + first + ", " + second + "] of two numbers, got "
          + values.size() + " values " + values);
      return fallback;
    }
    return new double[] {values.get(0), values.get(1)};
  }

  private String describe(String key) {
    ConfigValue value = section.getValue(key);
    return value.valueType().name().toLowerCase(Locale.ROOT)
        + " " + value.render(ConfigRenderOptions.concise());
  }
}
