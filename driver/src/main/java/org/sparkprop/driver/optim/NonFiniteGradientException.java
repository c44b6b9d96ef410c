package org.sparkprop.driver.optim;

/**
 * A training step met a NaN or infinite gradient entry (or loss) and was stopped before it touched
 * the parameters or the optimizer state. The message names the step and the number of bad
 * entries.
 */
public final class NonFiniteGradientException extends ArithmeticException {

  private static final long serialVersionUID = 1L;

  private final long step;
  private final int badEntries;

  private NonFiniteGradientException(String message, long step, int badEntries) {
    super(message);
    this.step = step;
    this.badEntries = badEntries;
  }

  /** {@code count} of {@code size} gradient entries are not finite, the first at {@code first}. */
  public static NonFiniteGradientException gradient(long step, int count, int size, int first) {
    return new NonFiniteGradientException(
        "non-finite gradient at step " + step + ": " + count + " of " + size
            + " entries are NaN or infinite (first at index " + first
            + "); parameters and optimizer state are unchanged",
        step,
        count);
  }

  /** The loss of the step is NaN or infinite. */
  public static NonFiniteGradientException loss(long step, double loss) {
    return new NonFiniteGradientException(
        "non-finite loss at step " + step + ": " + loss
            + "; parameters and optimizer state are unchanged",
        step,
        0);
  }

  /**
   * Training stopped after {@code skipped} consecutive steps were skipped for a non-finite loss
   * or gradient ({@code gradient.on_non_finite = skip}): it has diverged.
   */
  public static NonFiniteGradientException diverged(long step, int skipped) {
    return new NonFiniteGradientException(
        "training diverged: " + skipped + " consecutive step(s) up to step " + step
            + " had a NaN/Inf loss or gradient and were skipped (in full-batch mode the first"
            + " one repeats forever); lower optimizer.lr or set gradient.clip_norm",
        step,
        0);
  }

  /** The training step that was stopped. */
  public long step() {
    return step;
  }

  /** The number of non-finite gradient entries (0 when only the loss was bad). */
  public int badEntries() {
    return badEntries;
  }

  /** The number of NaN or infinite entries of {@code grad}. */
  public static int countNonFinite(float[] grad) {
    if (Double.isFinite(GradientClipping.sumOfSquares(grad))) {
      return 0; // the common case, without a branch per entry
    }
    int bad = 0;
    for (float g : grad) {
      if (!Float.isFinite(g)) {
        bad++;
      }
    }
    return bad;
  }

  /** The index of the first NaN or infinite entry of {@code grad}, or -1. */
  static int firstNonFinite(float[] grad) {
    for (int i = 0; i < grad.length; i++) {
      if (!Float.isFinite(grad[i])) {
        return i;
      }
    }
    return -1;
  }
}
