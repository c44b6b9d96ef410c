package org.sparkprop.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Finds keys a user set that no part of sparkprop reads, naming where each was set. */
final class KeyCheck {
  private KeyCheck() {}

  /**
   * Adds one problem per unknown key in {@code user}.
   *
   * @param known tells whether a full key path (e.g. {@code optimizer.momentum}) is valid
   * @param candidates valid keys, for "did you mean" hints
   */
  static void unknownKeys(Config user, Predicate<String> known, Set<String> candidates,
      List<String> problems) {
    Set<String> sorted = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      sorted.add(e.getKey());
    }
    for (String key : sorted) {
      if (known.test(key)) {
        continue;
      }
      String hint = nearest(key, candidates);
      problems.add(where(user.getValue(key).origin()) + key + ": unknown key"
          + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
    }
  }

  /** "file.conf:12: " or "--set key: " or "" when the origin says nothing useful. */
  static String where(ConfigOrigin origin) {
    if (origin == null) {
      return "";
    }
    if (origin.filename() != null) {
      return origin.filename() + (origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "") + ": ";
    }
    String d = origin.description();
    return d == null || d.isEmpty() ? "" : d.replaceAll(": \\d+$", "") + ": ";
  }

  static String nearest(String key, Set<String> candidates) {
    return DidYouMean.nearest(key, candidates);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** All leaf key paths of a config. */
  static Set<String> leafKeys(Config config) {
    Set<String> keys = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      keys.add(e.getKey());
    }
    return keys;
  }
}
