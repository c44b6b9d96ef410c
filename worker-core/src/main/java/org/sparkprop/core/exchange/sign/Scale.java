package org.sparkprop.core.exchange.sign;

/**
 * How the one float scale of a tensor is computed from the values being sign-compressed, so that
 * {@code s * sign(x)} approximates {@code x}. Sums run in {@code double} in index order; the
 * result is rounded to float once. A tensor of zeros has scale 0.
 */
public enum Scale {
  /**
   * {@code s = ||x||_1 / n}, the mean absolute value: EF-signSGD (Karimireddy et al. 2019). The
   * best scale for {@code sign(x)} in the least-squares sense.
   */
  L1_MEAN {
    @Override
    public float of(float[] x, int from, int length) {
      double sum = 0;
      for (int i = from, end = from + length; i < end; i++) {
        sum += Math.abs(x[i]);
      }
      return (float) (sum / length);
    }
  },
  /**
   * {@code s = ||x||_2 / sqrt(n)}, the root mean square: 1-bit Adam (Tang et al. 2021), which
   * keeps the compressed vector's L2 norm equal to the original's.
   */
  L2_RMS {
    @Override
    public float of(float[] x, int from, int length) {
      double sum = 0;
      for (int i = from, end = from + length; i < end; i++) {
        double v = x[i];
        sum += v * v;
      }
      return (float) Math.sqrt(sum / length);
    }
  };

  /**
   * The scale of {@code x[from .. from + length)}: NaN or infinite if an entry is.
   *
   * @param length number of entries, at least 1
   */
  public abstract float of(float[] x, int from, int length);

  /**
   * Writes the scale of every tensor of {@code segments} over {@code x} into {@code out[k]}.
   *
   * @throws IllegalArgumentException if {@code x} or {@code out} does not fit the segments
   */
  public void perTensor(float[] x, Segments segments, float[] out) {
    if (x.length != segments.length() || out.length != segments.count()) {
      throw new IllegalArgumentException("x has " + x.length + " entries and out " + out.length
          + ", segments need " + segments.length() + " and " + segments.count());
    }
    for (int k = 0; k < segments.count(); k++) {
      out[k] = of(x, segments.start(k), segments.size(k));
    }
  }
}
