package org.sparkprop.driver.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How gradients travel from tasks to the driver (config key {@code exchange}). */
public enum ExchangeMode {
  /** 32-bit gradient sums. */
  DENSE,
  /** EF-signSGD: sign of gradient + residual, one L1 scale per tensor, error feedback. */
  SIGN_EF,
  /** signSGD with majority vote (optionally Signum's local momentum); optimizer {@code sign}. */
  SIGN_MAJORITY,
  /** 1-bit Adam: dense Adam warm-up, then frozen second moment and compressed momentum. */
  ONEBIT_ADAM,
  /** 1-bit RMSprop: dense RMSprop warm-up, then frozen denominator and compressed gradients. */
  ONEBIT_RMSPROP;

  /** The config value, e.g. {@code sign-ef}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The mode of a config value, or null. */
  public static ExchangeMode fromName(String name) {
    for (ExchangeMode m : values()) {
      if (m.configName().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** All config values. */
  public static List<String> names() {
    return Arrays.stream(values()).map(ExchangeMode::configName).toList();
  }

  /** True for the 1-bit modes with a dense warm-up. */
  public boolean isOnebit() {
    return this == ONEBIT_ADAM || this == ONEBIT_RMSPROP;
  }
}
