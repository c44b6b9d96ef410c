package org.sparkprop.driver.playground;

import java.util.SplittableRandom;

/**
 * The 2-D surfaces of the playground: each with its value, gradient, starting point, the
 * window drawn, and its minimum (NaN where it has none).
 */
public enum TestFunction {
  /** (1 - x)² + 100 (y - x²)²: a curved, flat-bottomed valley; minimum 0 at (1, 1). */
  ROSENBROCK("rosenbrock", -1.2, 1.0, -2, 2, -1, 3, 0) {
    @Override
    double value(double x, double y) {
      return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    @Override
    void gradient(double x, double y, double[] g) {
      g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
      g[1] = 200 * (y - x * x);
    }
  },
  /** Beale's function: flat plateaus and steep walls; minimum 0 at (3, 0.5). */
  BEALE("beale", 1.0, 1.4, -1, 4, -1.5, 2, 0) {
    @Override
    double value(double x, double y) {
      double a = 1.5 - x + x * y;
      double b = 2.25 - x + x * y * y;
      double c = 2.625 - x + x * y * y * y;
      return a * a + b * b + c * c;
    }

    @Override
    void gradient(double x, double y, double[] g) {
      double a = 1.5 - x + x * y;
      double b = 2.25 - x + x * y * y;
      double c = 2.625 - x + x * y * y * y;
      g[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
      g[1] = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y;
    }
  },
  /**
   * x² - y²: a saddle at the origin, unbounded below along y. Starting almost on the ridge (y =
   * 1e-3), an optimizer escapes only as fast as it amplifies a tiny gradient.
   */
  SADDLE("saddle", 1.0, 1e-3, -1.5, 1.5, -1.5, 1.5, Double.NaN) {
    @Override
    double value(double x, double y) {
      return x * x - y * y;
    }

    @Override
    void gradient(double x, double y, double[] g) {
      g[0] = 2 * x;
      g[1] = -2 * y;
    }
  },
  /** (x² + 50 y²) / 2: an ill-conditioned quadratic ravine (condition number 50); minimum 0. */
  RAVINE("ravine", -8, 1, -9, 2, -1.5, 1.5, 0) {
    @Override
    double value(double x, double y) {
      return 0.5 * (x * x + 50 * y * y);
    }

    @Override
    void gradient(double x, double y, double[] g) {
      g[0] = x;
      g[1] = 50 * y;
    }
  },
  /**
   * The ravine with noisy gradients: each component gets Gaussian noise of standard deviation
   * 2 (seeded), as a mini-batch gradient does; minimum 0.
   */
  NOISY_RAVINE("noisy-ravine", -8, 1, -9, 2, -1.5, 1.5, 0) {
    @Override
    double value(double x, double y) {
      return RAVINE.value(x, y);
    }

    @Override
    void gradient(double x, double y, double[] g) {
      RAVINE.gradient(x, y, g);
    }

    @Override
    boolean noisy() {
      return true;
    }
  };

  /** Standard deviation of the noise added to each gradient component of a noisy function. */
  static final double NOISE = 2.0;

  private final String displayName;
  final double startX;
  final double startY;
  final double minX;
  final double maxX;
  final double minY;
  final double maxY;
  final double minimum;

  TestFunction(String displayName, double startX, double startY, double minX, double maxX,
      double minY, double maxY, double minimum) {
    this.displayName = displayName;
    this.startX = startX;
    this.startY = startY;
    this.minX = minX;
    this.maxX = maxX;
    this.minY = minY;
    this.maxY = maxY;
    this.minimum = minimum;
  }

  /** The function's value at (x, y). */
  abstract double value(double x, double y);

  /** Writes the exact gradient at (x, y) to {@code g[0..1]}. */
  abstract void gradient(double x, double y, double[] g);

  /**
   * The value a path must get below to count as there: within {@link Playground#TOLERANCE} of
   * the minimum, or for the saddle, which has none, -1 (escaped from the ridge).
   */
  double target() {
    return Double.isNaN(minimum) ? -1 : minimum + Playground.TOLERANCE;
  }

  /** Whether optimizers see the gradient with noise. */
  boolean noisy() {
    return false;
  }

  /** The gradient an optimizer sees: exact, or with seeded noise for a noisy function. */
  void observedGradient(double x, double y, double[] g, SplittableRandom noise) {
    gradient(x, y, g);
    if (noisy()) {
      g[0] += NOISE * gaussian(noise);
      g[1] += NOISE * gaussian(noise);
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** The name in file names, tables and on the command line. */
  public String displayName() {
    return displayName;
  }
}
