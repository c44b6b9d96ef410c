package org.sparkprop.driver.optim;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient clipping, applied in place to the mean gradient before the optimizer step. Immutable.
 *
 * <ul>
 *   <li>by value ({@code clip_value} v &gt; 0): each entry clamped to [−v, v];
 *   <li>by global norm ({@code clip_norm} c &gt; 0), PyTorch's {@code clip_grad_norm_}: with
 *       norm = ‖g‖₂ over all entries, if c/(norm + 1e-6) &lt; 1 every entry is scaled by it.
 * </ul>
 *
 * When both are on, value clipping runs first, so the result's norm is at most c. 0 turns either
 * off.
 */
public final class GradientClipping {

  /** The config section of clipping and of {@link NonFiniteGradientPolicy}: {@code "gradient"}. */
  public static final String SECTION = "gradient";
  /** The clipping keys of the {@code gradient} section. */
  public static final List<String> KEYS = List.of("clip_norm", "clip_value");
  /** Added to the norm before dividing, as in PyTorch. */
  public static final double NORM_EPS = 1e-6;

  private static final GradientClipping NONE = new GradientClipping(0, 0);

  private final double maxNorm;
  private final double maxValue;

  private GradientClipping(double maxNorm, double maxValue) {
    this.maxNorm = maxNorm;
    this.maxValue = maxValue;
  }

  /** No clipping. */
  public static GradientClipping none() {
    return NONE;
  }

  /** Clipping by global norm {@code maxNorm} &gt; 0. */
  public static GradientClipping byNorm(double maxNorm) {
    return of(maxNorm, 0);
  }

  /** Clipping of each entry to [−maxValue, maxValue], {@code maxValue} &gt; 0. */
  public static GradientClipping byValue(double maxValue) {
    return of(0, maxValue);
  }

  /** Both; 0 turns either off. */
  public static GradientClipping of(double maxNorm, double maxValue) {
    List<String> p = problems(maxNorm, maxValue);
    Checks.throwIfAny(p);
    return new GradientClipping(maxNorm, maxValue);
  }

  private static List<String> problems(double maxNorm, double maxValue) {
    List<String> p = new ArrayList<>();
    Checks.nonNegative(p, SECTION, "clip_norm", null, maxNorm);
    Checks.nonNegative(p, SECTION, "clip_value", null, maxValue);
    return p;
  }

  /**
   * Reads {@code clip_norm} and {@code clip_value} (both default 0 = off).
   *
   * @param problems receives every problem, each {@code "gradient.<key>: ..."}
   * @return the clipping, or null if there was a problem
   */
  public static GradientClipping fromConfig(Config gradientSection, List<String> problems) {
    ConfigReader r = new ConfigReader(gradientSection, SECTION, problems);
    int before = problems.size();
    double maxNorm = r.number("clip_norm", 0);
    double maxValue = r.number("clip_value", 0);
    r.addRangeProblems(problems(maxNorm, maxValue));
    return problems.size() == before ? new GradientClipping(maxNorm, maxValue) : null;
  }

  /** The maximum global norm; 0 when off. */
  public double maxNorm() {
    return maxNorm;
  }

  /** The maximum absolute entry; 0 when off. */
  public double maxValue() {
    return maxValue;
  }

  /** Whether any clipping is on. */
  public boolean isEnabled() {
    return maxNorm > 0 || maxValue > 0;
  }

  /**
   * Clips {@code grad} in place (entries must be finite).
   *
   * @return true if any entry changed
   */
  public boolean clip(float[] grad) {
    boolean changed = false;
    if (maxValue > 0) {
      float hi = (float) maxValue;
      float lo = -hi;
      for (int i = 0; i < grad.length; i++) {
        float g = grad[i];
        if (g > hi) {
          grad[i] = hi;
          changed = true;
        } else if (g < lo) {
          grad[i] = lo;
          changed = true;
        }
      }
    }
    if (maxNorm > 0) {
      double norm = globalNorm(grad);
      double scale = maxNorm / (norm + NORM_EPS);
      if (scale < 1.0) { // exactly PyTorch's condition: clamp(max_norm / (norm + 1e-6), max=1)
        for (int i = 0; i < grad.length; i++) {
          grad[i] = (float) (grad[i] * scale);
        }
        changed = true;
      }
    }
    return changed;
  }

  /** The L2 norm of {@code grad}, accumulated in double ({@link #sumOfSquares}). */
  public static double globalNorm(float[] grad) {
    return Math.sqrt(sumOfSquares(grad));
  }

  /**
   * The sum of the squares of {@code grad}'s entries, in double, in a fixed order: four running
   * sums over the entries i with the same i mod 4 (the last {@code length mod 4} entries go to
   * the first sum), then {@code (s0 + s1) + (s2 + s3)}. Four
   * independent sums keep the adds from waiting on each other (3x faster than one running sum).
   * Finite exactly when every entry is: a float's square is at most about 1.2e77, so no sum of
   * fewer than 2^31 of them overflows a double, and a NaN or infinite entry makes the sum NaN or
   * infinite.
   */
  public static double sumOfSquares(float[] grad) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (int end = grad.length - 3; i < end; i += 4) {
      double g0 = grad[i];
      double g1 = grad[i + 1];
      double g2 = grad[i + 2];
      double g3 = grad[i + 3];
      s0 += g0 * g0;
      s1 += g1 * g1;
      s2 += g2 * g2;
      s3 += g3 * g3;
    }
    for (; i < grad.length; i++) {
      double g = grad[i];
      s0 += g * g;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code {clip_norm=..., clip_value=...}} for the run's config dump. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clip_norm", maxNorm);
    m.put("clip_value", maxValue);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GradientClipping && toMap().equals(((GradientClipping) o).toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "GradientClipping" + toMap();
  }
}
