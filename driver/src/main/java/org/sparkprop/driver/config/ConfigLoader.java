package org.sparkprop.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a training configuration: the reference defaults, then the user's file, then
 * {@code --set key=value} overrides (each parsed as HOCON, so lists and numbers work).
 */
public final class ConfigLoader {
  /** Classpath location of conf/reference.conf, copied into the driver jar by the build. */
  public static final String REFERENCE_RESOURCE = "org/sparkprop/driver/reference.conf";

  private ConfigLoader() {}

  /** The reference configuration (defaults for every key). */
  public static Config reference() {
    Config ref = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(),
        REFERENCE_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false));
    return ref.resolve();
  }

  /**
   * The user's layer: the file (may be null) with the overrides on top, unresolved against the
   * reference, so unknown keys can be told apart from defaults.
   *
   * @throws ConfigProblems if the file is missing or does not parse, or an override is malformed
   */
  public static Config userLayer(File file, List<String> overrides) {
    List<String> problems = new ArrayList<>();
    Config user = ConfigFactory.empty();
    if (file != null) {
      if (!file.isFile()) {
        throw new ConfigProblems(List.of(file + ": no such config file"));
      }
      try {
        user = ConfigFactory.parseFile(file,
            ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
      } catch (ConfigException e) {
        throw new ConfigProblems(List.of(e.getMessage()));
      }
    }
    for (String setting : overrides) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        problems.add("--set " + setting + ": expected key=value");
        continue;
      }
      String key = setting.substring(0, eq).trim();
      String value = setting.substring(eq + 1).trim();
      try {
        Config one = ConfigFactory.parseString(key + " = " + quoteIfBare(value),
            ConfigParseOptions.defaults().setOriginDescription("--set " + key));
        user = one.withFallback(user);
      } catch (ConfigException e) {
        problems.add("--set " + setting + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigProblems(problems);
    }
    return user;
  }

  /** The user's layer over the reference, resolved. */
  public static Config resolve(Config userLayer) {
    try {
      return userLayer.withFallback(reference()).resolve(ConfigResolveOptions.defaults());
    } catch (ConfigException e) {
      throw new ConfigProblems(List.of(e.getMessage()));
    }
  }

  /** Values like {@code runs/x} or {@code local[2]} are not valid bare HOCON; quote them. */
  private static String quoteIfBare(String value) {
    if (value.isEmpty()) {
      return "\"\"";
    }
    char c = value.charAt(0);
    if (c == '"' || c == '[' || c == '{') {
      return value;
    }
    if (value.matches("-?[0-9.eE+-]+|true|false|null")) {
      return value;
    }
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
