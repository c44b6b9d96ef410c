package org.sparkprop.core.exchange.sign;

/**
 * One error-feedback compression: given this step's input {@code g} (a gradient or a momentum)
 * and the previous residual {@code e}, transmit {@code t = s * sign(x)} for {@code x = g + e} and
 * keep the new residual {@code e' = x - t}, per tensor with scale {@code s} from a {@link Scale}.
 *
 * <p>Float order of operations, for every entry i of tensor k (this is what makes the invariant
 * below hold):
 *
 * <ol>
 *   <li>{@code x_i = g_i + e_i}, one float addition ({@code x_i = g_i} when there is no
 *       residual);
 *   <li>{@code s_k = scale.of(x, tensor k)}, summed in double, rounded to float once;
 *   <li>{@code t_i = +s_k} if {@code x_i >= 0} else {@code -s_k} (exact: a sign flip);
 *   <li>{@code e'_i = x_i - t_i}, one float subtraction.
 * </ol>
 *
 * <p>The driver decodes exactly {@code t_i} (see {@link SignCodec#addDecoded}). Hence {@code x_i
 * = t_i + e'_i} up to the rounding of step 4 (at most half an ulp of {@code e'_i}), and over many
 * steps {@code sum(g) + e_0 = sum(t) + e_final} up to the accumulated roundings of steps 1 and 4:
 * nothing is lost, only delayed.
 */
public final class ErrorFeedback {
  private ErrorFeedback() {}

  /**
   * Compresses {@code g + residual} with error feedback.
   *
   * @param g this step's input, one entry per element of the flat vector (not modified unless it
   *     is {@code residualOut})
   * @param residual the previous residual, or null for zeros (not modified unless it is {@code
   *     residualOut})
   * @param segments the tensors, one scale each
   * @param scale how each tensor's scale is computed
   * @param bitsOut receives the packed signs of {@code x}: {@code SignCodec.words(n)} words
   * @param scalesOut receives one scale per tensor
   * @param residualOut receives the new residual {@code x - t}; may be the same array as {@code
   *     g} or {@code residual} (every entry is read before it is written)
   * @return the number of NaN or infinite entries of {@code x} (0 normally); when positive, the
   *     affected tensors' scales are NaN or infinite and the caller should not keep the residual
   * @throws IllegalArgumentException if an array does not fit the segments
   */
  public static int compress(
      float[] g,
      float[] residual,
      Segments segments,
      Scale scale,
      long[] bitsOut,
      float[] scalesOut,
      float[] residualOut) {
    int n = segments.length();
    if (g.length != n || (residual != null && residual.length != n) || residualOut.length != n
        || scalesOut.length != segments.count() || bitsOut.length != SignCodec.words(n)) {
      throw new IllegalArgumentException("arrays do not fit " + segments + ": g " + g.length
          + ", residual " + (residual == null ? "none" : residual.length) + ", residualOut "
          + residualOut.length + ", scalesOut " + scalesOut.length + ", bitsOut "
          + bitsOut.length);
    }
    float[] x = residualOut; // x is built in place, then turned into the residual
    if (residual == null) {
      if (x != g) {
        System.arraycopy(g, 0, x, 0, n);
      }
    } else {
      for (int i = 0; i < n; i++) {
        x[i] = g[i] + residual[i];
      }
    }
    SignCodec.pack(x, 0, n, bitsOut);
    int nonFinite = 0;
    for (int k = 0; k < segments.count(); k++) {
      int from = segments.start(k);
      int end = segments.end(k);
      float s = scale.of(x, from, end - from);
      scalesOut[k] = s;
      if (!Float.isFinite(s)) {
        nonFinite += countNonFinite(x, from, end);
      }
      int sBits = Float.floatToRawIntBits(s);
      for (int i = from; i < end; i++) {
        float xi = x[i];
        // t = +s for xi >= 0 (sign(0) = +1), else -s: the sign bit of s flipped, exactly
        x[i] = xi - Float.intBitsToFloat(xi >= 0f ? sBits : sBits ^ 0x80000000);
      }
    }
    return nonFinite;
  }

  private static int countNonFinite(float[] x, int from, int end) {
    int bad = 0;
    for (int i = from; i < end; i++) {
      if (!Float.isFinite(x[i])) {
        bad++;
      }
    }
    return bad;
  }
}
