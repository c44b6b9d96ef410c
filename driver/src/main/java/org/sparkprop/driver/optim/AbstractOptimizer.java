package org.sparkprop.driver.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What every optimizer shares: argument checks, the step counter, the weight-decay mask and the
 * named state arrays with their export/import. A subclass allocates its arrays with {@link
 * #stateArray} in its constructor and implements {@link #update}, which runs only after every
 * check passed and must not throw.
 */
abstract class AbstractOptimizer implements Optimizer {

  /** The number of parameters. */
  protected final int n;

  private final boolean[] decayMask;
  private final Map<String, float[]> arrays = new LinkedHashMap<>();
  private long steps;

  AbstractOptimizer(int numParams, boolean[] decayMask) {
    if (numParams <= 0) {
      throw new IllegalArgumentException("numParams must be > 0, got " + numParams);
    }
    if (decayMask != null && decayMask.length != numParams) {
      throw new IllegalArgumentException(
          "decayMask has length " + decayMask.length + ", expected numParams = " + numParams);
    }
    this.n = numParams;
    this.decayMask = decayMask == null ? null : decayMask.clone();
  }

  /** Allocates a zeroed state array of length n and registers it under {@code name}. */
  protected final float[] stateArray(String name) {
    float[] a = new float[n];
    arrays.put(name, a);
    return a;
  }

  /** Entries per parallel chunk of an update; smaller arrays are updated on the calling thread. */
  static final int CHUNK = 1 << 15;

  /** The body of an element-wise update over entries [from, to). */
  @FunctionalInterface
  protected interface Range {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over [0, n) in chunks of {@link #CHUNK} entries, in parallel on the common
   * fork-join pool. Every update is element-wise (entry i reads and writes only index i of each
   * array, plus per-step scalars), so the result is the same bits however the chunks are
   * scheduled.
   */
  protected final void forEachRange(Range body) {
    int chunks = (int) (((long) n + CHUNK - 1) / CHUNK);
    if (chunks == 1) {
      body.run(0, n);
      return;
    }
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int from = c * CHUNK; // < n, so no overflow
      body.run(from, from + Math.min(CHUNK, n - from));
    });
  }

  /**
   * The weight-decay mask itself (not a copy; read only), or null when every entry decays. For
   * update loops that test it inline, so that C2 can split the loop on {@code mask == null}.
   */
  protected final boolean[] decayMask() {
    return decayMask;
  }

  /** Whether weight decay applies to entry {@code i}. */
  protected final boolean decays(int i) {
    return decayMask == null || decayMask[i];
  }

  /** The scalar state (e.g. {@code prev_loss}); none by default. */
  protected Map<String, Double> scalars() {
    return Map.of();
  }

  /** Sets the scalar state from an already validated map with the names of {@link #scalars()}. */
  protected void importScalars(Map<String, Double> scalars) {}

  /** Extra argument checks of a subclass, before anything is written (e.g. the loss). */
  protected void checkStep(double loss) {}

  /**
   * Applies step {@code t} (1-based). Every argument has been checked; must not throw.
   *
   * @param lr the learning rate for this step, finite and &ge; 0
   */
  protected abstract void update(float[] params, float[] grad, double lr, double loss, long t);

  @Override
  public final void step(float[] params, float[] grad, double lr, double loss) {
    if (params.length != n || grad.length != n) {
      throw new IllegalArgumentException(
          "step needs params and grad of length " + n + ", got " + params.length + " and "
              + grad.length);
    }
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
    int bad = NonFiniteGradientException.countNonFinite(grad);
    if (bad > 0) {
      throw NonFiniteGradientException.gradient(
          steps + 1, bad, n, NonFiniteGradientException.firstNonFinite(grad));
    }
    checkStep(loss);
    update(params, grad, lr, loss, steps + 1);
    steps++;
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final int numParams() {
    return n;
  }

  @Override
  public final OptimizerState exportState() {
    return new OptimizerState(config().name(), steps, arrays, scalars());
  }

  @Override
  public final void importState(OptimizerState state) {
    String name = config().name();
    String what = "cannot import optimizer state into " + name + ": ";
    if (!state.optimizer().equals(name)) {
      throw new IllegalArgumentException(
          what + "the state is for '" + state.optimizer() + "', not '" + name + "'");
    }
    List<String> expected = List.copyOf(arrays.keySet());
    if (!state.arrayNames().equals(expected)) {
      throw new IllegalArgumentException(
          what + "the state has arrays " + state.arrayNames() + ", expected " + expected
              + " for " + config().toMap());
    }
    for (String a : expected) {
      if (state.arrayLength(a) != n) {
        throw new IllegalArgumentException(
            what + "array '" + a + "' has length " + state.arrayLength(a) + ", expected " + n);
      }
    }
    if (!state.scalars().keySet().equals(scalars().keySet())) {
      throw new IllegalArgumentException(
          what + "the state has scalars " + state.scalars().keySet() + ", expected "
              + scalars().keySet());
    }
    for (Map.Entry<String, float[]> e : arrays.entrySet()) {
      state.copyArrayInto(e.getKey(), e.getValue());
    }
    importScalars(state.scalars());
    steps = state.step();
  }

  @Override
  public String toString() {
    return config().name() + "{steps=" + steps + ", n=" + n + "}";
  }
}
