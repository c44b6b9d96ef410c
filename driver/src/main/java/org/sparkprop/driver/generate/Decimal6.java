package org.sparkprop.driver.generate;

/**
 * Compact, locale-independent decimal text for generated numbers: 6 significant digits, no
 * trailing zeros, plain notation from 0.001 to 9999999 and {@code 1.23457e-5} style outside.
 *
 * <p>A number is first {@linkplain #encode encoded} as {@code mantissa * 10^power} with at most 6
 * mantissa digits; {@link #toFloat} gives exactly the float that parsing the written text returns
 * (so ground-truth labels can be computed from the values as a reader will see them), and {@link
 * #write} writes the text into a byte buffer. Everything is plain integer and IEEE double
 * arithmetic, so the text is the same on every JVM and in every locale, and no String is made
 * per number.
 */
final class Decimal6 {
  /** Longest text {@link #write} produces: sign, 6 digits, point, "0.00" or "e-XX". */
  static final int MAX_LENGTH = 14;

  private static final double LOG10_2 = 0.30102999566398120;
  private static final double[] POW10 = new double[31];
  private static final float[] POW10F = {
    1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f
  };

  static {
    for (int k = 0; k < POW10.length; k++) {
      POW10[k] = Double.parseDouble("1e" + k);
    }
  }

  private Decimal6() {}

  /**
   * Rounds {@code v} to 6 significant digits and packs it as {@code (mantissa << 32) | (power &
   * 0xffffffff)}: {@code v ≈ mantissa * 10^power}, mantissa signed with no trailing zeros.
   * Magnitudes below 1e-30 encode as 0.
   *
   * @throws IllegalArgumentException if {@code v} is NaN, infinite or of magnitude 1e30 or more
   */
  static long encode(double v) {
    double a = Math.abs(v);
    if (!(a < 1e30)) {
      throw new IllegalArgumentException("cannot write " + v + " (not finite or too large)");
    }
    if (a < 1e-30) {
      return 0L;
    }
    int e = (int) Math.floor(Math.getExponent(a) * LOG10_2);
    long m = scaled(a, 5 - e);
    for (int tries = 0; tries < 3 && (m >= 1_000_000 || m < 100_000); tries++) {
      e += m >= 1_000_000 ? 1 : -1;
      m = scaled(a, 5 - e);
    }
    if (m >= 1_000_000 || m < 100_000) {
      m = 100_000; // unreachable in practice; keeps the result well-formed
    }
    int power = e - 5;
    while (m % 10 == 0) {
      m /= 10;
      power++;
    }
    long signed = v < 0 ? -m : m;
    return (signed << 32) | (power & 0xffffffffL);
  }

  /** The mantissa of an {@link #encode encoded} number. */
  static int mantissa(long encoded) {
    return (int) (encoded >> 32);
  }

  /** The power of ten of an {@link #encode encoded} number. */
  static int power(long encoded) {
    return (int) encoded;
  }

  /** The float {@code Float.parseFloat} returns for the text of {@code mantissa * 10^power}. */
  static float toFloat(int mantissa, int power) {
    if (mantissa == 0) {
      return 0f;
    }
    if (power == 0) {
      return mantissa;
    }
    // |mantissa| < 2^24 and 10^|power| <= 10^10 are exact floats: one correctly rounded operation.
    if (power > 0 && power < POW10F.length) {
      return mantissa * POW10F[power];
    }
    if (power < 0 && -power < POW10F.length) {
      return mantissa / POW10F[-power];
    }
    return Float.parseFloat(mantissa + "e" + power);
  }

  /** Writes the text of {@code mantissa * 10^power} at {@code pos}; returns the new position. */
  static int write(int mantissa, int power, byte[] buf, int pos) {
    if (mantissa == 0) {
      buf[pos] = '0';
      return pos + 1;
    }
    int m = mantissa;
    if (m < 0) {
      buf[pos++] = '-';
      m = -m;
    }
    int digits = digitCount(m);
    int pointAt = digits + power; // digits before the decimal point
    if (power >= 0 && pointAt <= 7) {
      pos = writeDigits(m, digits, buf, pos);
      for (int k = 0; k < power; k++) {
        buf[pos++] = '0';
      }
      return pos;
    }
    if (power < 0 && pointAt > 0) {
      int end = pos + digits + 1;
      int at = end - 1;
      for (int k = 0; k < -power; k++) {
        buf[at--] = (byte) ('0' + m % 10);
        m /= 10;
      }
      buf[at--] = '.';
      while (at >= pos) {
        buf[at--] = (byte) ('0' + m % 10);
        m /= 10;
      }
      return end;
    }
    if (power < 0 && pointAt > -3) {
      buf[pos++] = '0';
      buf[pos++] = '.';
      for (int k = 0; k < -pointAt; k++) {
        buf[pos++] = '0';
      }
      return writeDigits(m, digits, buf, pos);
    }
    // Scientific: d[.ddddd]e[-]X
    int first = pos;
    pos = writeDigits(m, digits, buf, pos + 1);
    buf[first] = buf[first + 1];
    if (digits > 1) {
      buf[first + 1] = '.';
    } else {
      pos--;
    }
    buf[pos++] = 'e';
    int exponent = pointAt - 1;
    if (exponent < 0) {
      buf[pos++] = '-';
      exponent = -exponent;
    }
    return writeDigits(exponent, digitCount(exponent), buf, pos);
  }

  /** The text of {@code v} rounded to 6 significant digits (for tests and messages). */
  static String toString(double v) {
    long encoded = encode(v);
    byte[] buf = new byte[MAX_LENGTH];
    int n = write(mantissa(encoded), power(encoded), buf, 0);
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
  }

  static int digitCount(long m) {
    int digits = 1;
    while (m >= 10) {
      m /= 10;
      digits++;
    }
    return digits;
  }

  /** Writes the {@code digits} decimal digits of {@code m >= 0}; returns the new position. */
  static int writeDigits(long m, int digits, byte[] buf, int pos) {
    int end = pos + digits;
    for (int at = end - 1; at >= pos; at--) {
      buf[at] = (byte) ('0' + (int) (m % 10));
      m /= 10;
    }
    return end;
  }

  private static long scaled(double a, int k) {
    double s;
    if (k >= 0) {
      s = k < 23 ? a * POW10[k] : a * POW10[22] * POW10[k - 22];
    } else {
      s = -k < 23 ? a / POW10[-k] : a / POW10[22] / POW10[-k - 22];
    }
    return Math.round(s);
  }
}
