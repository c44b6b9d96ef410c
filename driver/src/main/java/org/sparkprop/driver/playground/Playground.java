package org.sparkprop.driver.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sparkprop.driver.optim.NonFiniteGradientException;
import org.sparkprop.driver.optim.Optimizer;

/**
 * Runs every optimizer on every test function from the function's start, with the optimizer
 * classes training uses (float32 parameters, the same update code), and records each path.
 */
public final class Playground {
  /** How close to the minimum counts as reached. */
  public static final double TOLERANCE = 1e-3;
  /** Beyond this distance from the start a path has diverged (the run stops). */
  static final double ESCAPED = 1e3;

  private Playground() {}

  /**
   * One optimizer's run on one function.
   *
   * @param x the path's x after each step, x[0] the start (as float32 parameters hold it)
   * @param value the function's value at each point of the path
   * @param stepsToTolerance the first step whose value is below the function's {@link
   *     TestFunction#target() target} (within {@link #TOLERANCE} of the minimum; escaped, for
   *     the saddle), -1 if none
   */
  public record Run(TestFunction function, Contestant optimizer, double[] x, double[] y,
      double[] value, int stepsToTolerance) {

    public double finalValue() {
      return value[value.length - 1];
    }

    public int steps() {
      return value.length - 1;
    }
  }

  /** Every optimizer on {@code f}, {@code steps} steps each (fewer when a path diverges). */
  public static List<Run> run(TestFunction f, List<Contestant> optimizers, int steps,
      long seed) {
    List<Run> out = new ArrayList<>();
    for (Contestant c : optimizers) {
      out.add(run(f, c, steps, seed));
    }
    return out;
  }

  /** One optimizer on one function. */
  public static Run run(TestFunction f, Contestant c, int steps, long seed) {
    Optimizer opt = c.create(f);
    SplittableRandom noise = new SplittableRandom(seed);
    float[] p = {(float) f.startX, (float) f.startY};
    double[] g = new double[2];
    float[] grad = new float[2];
    List<double[]> path = new ArrayList<>();
    path.add(new double[] {p[0], p[1], f.value(p[0], p[1])});
    int reached = -1;
    double lr = c.lr(f);
    for (int t = 1; t <= steps; t++) {
      double v = f.value(p[0], p[1]);
      f.observedGradient(p[0], p[1], g, noise);
      grad[0] = (float) g[0];
      grad[1] = (float) g[1];
      try {
        opt.step(p, grad, lr, v);
      } catch (NonFiniteGradientException e) {
        break; // overflowed: the path has diverged
      }
      double now = f.value(p[0], p[1]);
      path.add(new double[] {p[0], p[1], now});
      if (reached < 0 && now < f.target()) {
        reached = t;
      }
      if (!Double.isFinite(now) || Math.abs(p[0] - f.startX) + Math.abs(p[1] - f.startY)
          > ESCAPED) {
        break;
      }
    }
    double[] x = new double[path.size()];
    double[] y = new double[path.size()];
    double[] value = new double[path.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = path.get(i)[0];
      y[i] = path.get(i)[1];
      value[i] = path.get(i)[2];
    }
    return new Run(f, c, x, y, value, reached);
  }

  /** The results as a Markdown table (steps to the target and final value per run). */
  public static String table(List<Run> runs, int steps) {
    return PlaygroundTable.markdown(runs, steps);
  }
}
