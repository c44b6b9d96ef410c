package org.sparkprop.core.model;

import java.util.Locale;

/**
 * Element-wise activation of the hidden layers of an {@link ModelSpec.Kind#MLP MLP}.
 *
 * <p>The output layer never has an activation of its own: it produces raw logits and the
 * {@link OutputLoss} applies sigmoid or softmax internally, in a numerically stable way.
 */
public enum Activation {
  /** {@code max(0, z)}; derivative 1 for {@code z > 0}, else 0. He-normal init. */
  RELU("relu"),
  /** {@code z} for {@code z > 0}, else {@code 0.01 z}; derivative 1 or 0.01. He-normal init. */
  LEAKY_RELU("leaky_relu"),
  /** Hyperbolic tangent. Xavier-normal init. */
  TANH("tanh"),
  /** Logistic sigmoid {@code 1 / (1 + e^-z)}. Xavier-normal init. */
  SIGMOID("sigmoid"),
  /** {@code z} (a linear hidden layer). Xavier-normal init. */
  IDENTITY("identity");

  /** Slope of {@link #LEAKY_RELU} for negative inputs. */
  public static final double LEAKY_RELU_SLOPE = 0.01;

  private final String configName;

  Activation(String configName) {
    this.configName = configName;
  }

  /** The name used in configuration files, e.g. {@code "leaky_relu"}. */
  public String configName() {
    return configName;
  }

  /** Whether layers with this activation are initialised He-normal (rectifiers) rather than Xavier. */
  public boolean usesHeInit() {
    return this == RELU || this == LEAKY_RELU;
  }

  /**
   * The activation with the given config name (case-insensitive, surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the valid choices if there is none
   */
  public static Activation fromName(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (Activation a : values()) {
        if (a.configName.equals(n)) {
          return a;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "': expected one of " + validNames());
  }

  /** The config names, comma separated, in declaration order. */
  public static String validNames() {
    StringBuilder sb = new StringBuilder();
    for (Activation a : values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(a.configName);
    }
    return sb.toString();
  }
}
