package org.sparkprop.driver.config;

import java.util.Collection;

/** The nearest valid spelling of a mistyped key or value, for "did you mean" hints. */
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate nearest to {@code typed} (Levenshtein distance), when it is near enough to be
   * a typo (at most 2, or a quarter of its length), else null.
   */
  public static String nearest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = KeyCheck.distance(typed, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= Math.max(2, typed.length() / 4) ? best : null;
  }

  /** {@code " (did you mean 'x'?)"}, or "" when nothing is near. */
  public static String hint(String typed, Collection<String> candidates) {
    String near = nearest(typed, candidates);
    return near == null ? "" : " (did you mean '" + near + "'?)";
  }
}
