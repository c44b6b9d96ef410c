package org.sparkprop.driver.data;

/**
 * Locale-independent number parsing on a slice of a string, without allocating on the common
 * path.
 *
 * <p>Plain decimals with at most about 7 significant digits (what data files and the generator
 * write) are converted exactly with one float operation (Clinger's fast path: an integer mantissa
 * of at most 2^24 times or divided by an exact power of ten up to 10^10 is correctly rounded).
 * Everything else goes to {@link Float#parseFloat}, so the result is always the same float that
 * {@code Float.parseFloat} returns for the slice.
 */
final class Numbers {
  private static final int MAX_EXACT_MANTISSA = 1 << 24;
  private static final float[] POW10 = {
    1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f
  };

  private Numbers() {}

  /**
   * Parses {@code s[from, to)} as a float.
   *
   * <p>Accepts {@code [+-]digits[.digits][(e|E)[+-]digits]} (a leading or trailing '.' is fine).
   * Returns NaN or an infinity for the words nan, inf and infinity (any case, optional sign) and
   * for values too large for a float, so the caller can report those separately.
   *
   * @throws NumberFormatException for anything else, including Java-only forms such as {@code 1f}
   *     or hexadecimal floats
   */
  static float parseFloat(String s, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to) {
      char c = s.charAt(i);
      if (c == '-') {
        negative = true;
        i++;
      } else if (c == '+') {
        i++;
      }
    }
    long mantissa = 0;
    int digits = 0;
    int fractionDigits = 0;
    while (i < to) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        break;
      }
      if (mantissa <= MAX_EXACT_MANTISSA) {
        mantissa = mantissa * 10 + d;
      }
      digits++;
      i++;
    }
    if (i < to && s.charAt(i) == '.') {
      i++;
      while (i < to) {
        int d = s.charAt(i) - '0';
        if (d < 0 || d > 9) {
          break;
        }
        if (mantissa <= MAX_EXACT_MANTISSA) {
          mantissa = mantissa * 10 + d;
        }
        digits++;
        fractionDigits++;
        i++;
      }
    }
    int exponent = 0;
    if (digits > 0 && i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
        negativeExponent = s.charAt(i) == '-';
        i++;
      }
      int exponentDigits = 0;
      while (i < to) {
        int d = s.charAt(i) - '0';
        if (d < 0 || d > 9) {
          break;
        }
        if (exponent < 10_000) {
          exponent = exponent * 10 + d;
        }
        exponentDigits++;
        i++;
      }
      if (exponentDigits == 0) {
        return slowParse(s, from, to);
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    if (digits == 0 || i != to || mantissa > MAX_EXACT_MANTISSA) {
      return slowParse(s, from, to);
    }
    if (mantissa == 0) {
      return negative ? -0f : 0f;
    }
    int power = exponent - fractionDigits;
    float result;
    if (power == 0) {
      result = mantissa;
    } else if (power > 0 && power < POW10.length) {
      result = mantissa * POW10[power];
    } else if (power < 0 && -power < POW10.length) {
      result = mantissa / POW10[-power];
    } else {
      return slowParse(s, from, to);
    }
    return negative ? -result : result;
  }

  private static float slowParse(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean allowed = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e'
          || c == 'E';
      if (!allowed) {
        return nonFinite(s, from, to);
      }
    }
    return Float.parseFloat(s.substring(from, to));
  }

  /** NaN or an infinity for the words nan / inf / infinity; else NumberFormatException. */
  private static float nonFinite(String s, int from, int to) {
    boolean negative = false;
    int i = from;
    if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int length = to - i;
    if (length == 3 && s.regionMatches(true, i, "nan", 0, 3)) {
      return Float.NaN;
    }
    if ((length == 3 && s.regionMatches(true, i, "inf", 0, 3))
        || (length == 8 && s.regionMatches(true, i, "infinity", 0, 8))) {
      return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
    throw new NumberFormatException(s.substring(from, to));
  }

  /**
   * The problem text for a value that parsed to NaN or an infinity, e.g. {@code feature value
   * 'nan': NaN/Inf is not allowed}.
   */
  static String nonFiniteProblem(String what, String text) {
    boolean word = false;
    for (int i = 0; i < text.length(); i++) {
      char c = Character.toLowerCase(text.charAt(i));
      if (c == 'n' || c == 'i') {
        word = true;
        break;
      }
    }
    String range = word ? "" : " (out of float32 range)";
    return what + " '" + text + "': NaN/Inf is not allowed" + range;
  }

  /** True for ' ' and '\t'. */
  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** The end of {@code line} with trailing spaces, tabs, '\r' and '\n' removed. */
  static int trimmedEnd(String line, int from, int to) {
    int end = to;
    while (end > from) {
      char c = line.charAt(end - 1);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        end--;
      } else {
        break;
      }
    }
    return end;
  }
}
