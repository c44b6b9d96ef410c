package org.sparkprop.driver.generate;

import java.util.SplittableRandom;

/**
 * Standard normal numbers from a {@link SplittableRandom} by Marsaglia's polar method, using
 * {@link StrictMath} so that the sequence is the same on every JVM and CPU.
 */
final class Gaussian {
  private final SplittableRandom random;
  private double spare;
  private boolean hasSpare;

  Gaussian(SplittableRandom random) {
    this.random = random;
  }

  /** The underlying uniform source. */
  SplittableRandom random() {
    return random;
  }

  /** The next N(0, 1) number. */
  double next() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    spare = v * f;
    hasSpare = true;
    return u * f;
  }
}
