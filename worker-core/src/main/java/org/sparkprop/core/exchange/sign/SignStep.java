package org.sparkprop.core.exchange.sign;

/**
 * The executor side of one sign-mode training step for one partition: read the partition's
 * state of the base step, compress, write the new state as this step's version, return the
 * payload. Each function is a pure function of its arguments and the state it reads, so a
 * retried task at the same step returns the same bits (see {@link ExecutorStateStore}).
 *
 * <p>Common rules:
 *
 * <ul>
 *   <li>{@code grad} is this partition's <em>mean</em> gradient over its batch (see {@link
 *       #toMean}), after anything the caller adds to it (e.g. weight decay {@code wd * theta}).
 *       It is not modified. {@code lossSum} and {@code count} go into the payload unchanged.
 *   <li>{@code count == 0} (an empty batch) abstains: the state read is written back unchanged
 *       as this step's version and an {@link SignPayload#abstain() abstention} is returned.
 *   <li>If the vector to compress has a NaN or infinite entry, the payload reports how many
 *       ({@link SignPayload#nonFinite()}) and the state read is written back unchanged, so one
 *       bad step does not poison the residual; the driver must reject the step (the accumulator
 *       turns its output into NaN for that purpose).
 *   <li>If the base state was missing, the step starts from zero and the payload says so
 *       ({@link SignPayload#missingState()}).
 *   <li>New state arrays are allocated per step (the store keeps the previous version for
 *       retries, so they cannot be reused in place); the payload's arrays are new too.
 * </ul>
 */
public final class SignStep {
  /** State name of the error-feedback residual. */
  public static final String RESIDUAL = "residual";
  /** State name of the local momentum of Signum with majority vote. */
  public static final String MOMENTUM = "momentum";

  private SignStep() {}

  /**
   * Turns a gradient sum into the mean gradient in place: {@code g[i] = (float) (g[i] / count)}
   * (the correctly rounded quotient, as {@code GradientPayload.meanGradient}).
   *
   * @throws IllegalArgumentException if count is not positive
   */
  public static float[] toMean(float[] gradSum, long count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    org.sparkprop.core.exchange.GradientPayload.divide(gradSum, count, gradSum);
    return gradSum;
  }

  /**
   * {@code sign-ef}, EF-signSGD (Karimireddy et al. 2019): {@code x = g + e}, send {@code
   * sign(x)} with per-tensor scale {@code s = ||x||_1 / n}, keep {@code e = x - s * sign(x)}
   * (state {@link #RESIDUAL}).
   *
   * <p>Driver: {@code d = mean over partitions of s_p * sign_p} ({@link
   * SignAccumulator#meanDecoded}), then the configured optimizer steps with {@code d} as the
   * gradient.
   */
  public static SignPayload efStep(
      ExecutorStateStore store, StateRef ref, Segments segments, float[] grad, double lossSum,
      long count) {
    return errorFeedbackStep(store, ref, segments, Scale.L1_MEAN, grad, lossSum, count);
  }

  /**
   * Error-feedback compression of {@code grad} with any scale rule (state {@link #RESIDUAL});
   * {@link #efStep} is this with {@link Scale#L1_MEAN}.
   */
  public static SignPayload errorFeedbackStep(
      ExecutorStateStore store, StateRef ref, Segments segments, Scale scale, float[] grad,
      double lossSum, long count) {
    checkLength("grad", grad, segments.length());
    PartitionState prev = store.read(ref);
    if (count == 0) {
      return abstain(store, ref, prev);
    }
    float[] x = grad.clone();
    return compressAndStore(store, ref, prev, segments, scale, x, lossSum, count);
  }

  /**
   * {@code sign-majority}, signSGD with majority vote (Bernstein et al. 2019), or Signum when
   * {@code momentum > 0}.
   *
   * <p>With {@code momentum == 0}: send {@code sign(g)}; no state is read or written. With
   * {@code momentum = mu > 0}: {@code b = (float) (mu * b + (1 - mu) * g)} (in double, rounded
   * once; {@code b} starts at zero; state {@link #MOMENTUM}), send {@code sign(b)}. No scales.
   *
   * <p>Driver: {@code theta -= lr * sign(sum_p sign_p)}, a tie giving 0 ({@link
   * SignAccumulator#majoritySign}).
   *
   * @param momentum in {@code [0, 1)}
   */
  public static SignPayload majorityStep(
      ExecutorStateStore store, StateRef ref, float[] grad, double momentum, double lossSum,
      long count) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    int n = grad.length;
    if (n == 0) {
      throw new IllegalArgumentException("grad must not be empty");
    }
    if (momentum == 0) {
      if (count == 0) {
        return SignPayload.abstain();
      }
      return SignPayload.votes(n, SignCodec.pack(grad), lossSum, count)
          .withNonFinite(countNonFinite(grad));
    }
    PartitionState prev = store.read(ref);
    if (count == 0) {
      return abstain(store, ref, prev);
    }
    float[] b = prev.get(MOMENTUM);
    if (b != null) {
      checkLength("state " + MOMENTUM, b, n);
    }
    float[] next = new float[n];
    double keep = 1 - momentum;
    for (int i = 0; i < n; i++) {
      double bi = b == null ? 0.0 : b[i];
      next[i] = (float) (momentum * bi + keep * grad[i]);
    }
    int bad = countNonFinite(next);
    store.write(ref, bad == 0 ? PartitionState.of(MOMENTUM, next) : prev);
    return SignPayload.votes(n, SignCodec.pack(next), lossSum, count)
        .withMissingState(prev.missing())
        .withNonFinite(bad);
  }

  /**
   * {@code onebit-adam} after the warm-up (Tang et al. 2021): the partition's momentum {@code
   * m_p = (float) (beta1 * m + (1 - beta1) * g)} (in double, rounded once) from the broadcast
   * averaged momentum {@code m}, then error-feedback compression of {@code m_p} with per-tensor
   * scale {@code ||x||_2 / sqrt(n)} (state {@link #RESIDUAL}).
   *
   * <p>Driver: {@code m <- mean over partitions of s_p * sign_p} ({@link
   * SignAccumulator#meanDecoded}); {@code theta -= lr * m / (sqrt(v) + eps)} with the second
   * moment {@code v} frozen at the end of the warm-up; broadcast {@code theta} and {@code m} with
   * the next step's state. The first compressed step should use {@link StateRef#first} (the
   * residual starts at zero) with {@code m} the warm-up's first moment.
   *
   * @param m the broadcast averaged momentum (not modified)
   * @param beta1 in {@code [0, 1)}
   */
  public static SignPayload onebitAdamStep(
      ExecutorStateStore store, StateRef ref, Segments segments, float[] m, float[] grad,
      double beta1, double lossSum, long count) {
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    return momentumStep(store, ref, segments, m, grad, beta1, 1 - beta1, lossSum, count);
  }

  /**
   * {@code onebit-rmsprop} after the warm-up: the same construction for RMSprop. Derivation:
   * with the square average {@code v} frozen, the RMSprop denominator {@code D = sqrt(v) + eps}
   * (for centered RMSprop {@code sqrt(v - a^2) + eps}, also frozen) is a constant, and PyTorch's
   * momentum buffer {@code buf = mu * buf + g / D} equals {@code m / D} for {@code m = mu * m +
   * g}. So the partition sends {@code m_p = (float) (mu * m + g)} (undampened, as PyTorch; just
   * {@code g} when {@code mu == 0}) compressed with error feedback and scale {@code ||x||_2 /
   * sqrt(n)} (state {@link #RESIDUAL}).
   *
   * <p>Driver: {@code m <- mean over partitions of s_p * sign_p}; {@code theta -= lr * m / D};
   * broadcast {@code theta} and (when {@code mu > 0}) {@code m}. The first compressed step should
   * use {@link StateRef#first} with {@code m = buf * D} from the warm-up's momentum buffer (or
   * zeros).
   *
   * @param m the broadcast averaged momentum; ignored (may be null) when {@code momentum == 0}
   * @param momentum {@code mu} in {@code [0, 1)}
   */
  public static SignPayload onebitRmspropStep(
      ExecutorStateStore store, StateRef ref, Segments segments, float[] m, float[] grad,
      double momentum, double lossSum, long count) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (momentum == 0) {
      return errorFeedbackStep(store, ref, segments, Scale.L2_RMS, grad, lossSum, count);
    }
    return momentumStep(store, ref, segments, m, grad, momentum, 1.0, lossSum, count);
  }

  /** {@code x = (float) (a * m + b * g)}, then error feedback with the L2 scale. */
  private static SignPayload momentumStep(
      ExecutorStateStore store, StateRef ref, Segments segments, float[] m, float[] grad,
      double a, double b, double lossSum, long count) {
    int n = segments.length();
    checkLength("grad", grad, n);
    if (m == null) {
      throw new IllegalArgumentException("the broadcast momentum m must not be null");
    }
    checkLength("m", m, n);
    PartitionState prev = store.read(ref);
    if (count == 0) {
      return abstain(store, ref, prev);
    }
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (a * m[i] + b * grad[i]);
    }
    return compressAndStore(store, ref, prev, segments, Scale.L2_RMS, x, lossSum, count);
  }

  /** Compresses {@code x} (owned; becomes the new residual) against the residual of prev. */
  private static SignPayload compressAndStore(
      ExecutorStateStore store, StateRef ref, PartitionState prev, Segments segments, Scale scale,
      float[] x, double lossSum, long count) {
    int n = segments.length();
    float[] e = prev.get(RESIDUAL);
    if (e != null) {
      checkLength("state " + RESIDUAL, e, n);
    }
    long[] bits = new long[SignCodec.words(n)];
    float[] scales = new float[segments.count()];
    int bad = ErrorFeedback.compress(x, e, segments, scale, bits, scales, x);
    store.write(ref, bad == 0 ? PartitionState.of(RESIDUAL, x) : prev);
    return SignPayload.scaled(n, bits, scales, lossSum, count)
        .withMissingState(prev.missing())
        .withNonFinite(bad);
  }

  private static SignPayload abstain(ExecutorStateStore store, StateRef ref, PartitionState prev) {
    store.write(ref, prev);
    return SignPayload.abstain().withMissingState(prev.missing());
  }

  private static int countNonFinite(float[] x) {
    int bad = 0;
    for (float v : x) {
      if (!Float.isFinite(v)) {
        bad++;
      }
    }
    return bad;
  }

  private static void checkLength(String name, float[] a, int n) {
    if (a.length != n) {
      throw new IllegalArgumentException(
          name + " has " + a.length + " entries, the vector has " + n
              + " (a state of another model under the same run id?)");
    }
  }
}
