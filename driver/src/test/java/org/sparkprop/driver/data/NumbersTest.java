package org.sparkprop.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumbersTest {

  private static float parse(String s) {
    return Numbers.parseFloat("[" + s + "]", 1, s.length() + 1);
  }

  private static void assertSameAsJdk(String s) {
    assertEquals(
        Float.floatToIntBits(Float.parseFloat(s)), Float.floatToIntBits(parse(s)), "for " + s);
  }

  @Test
  void agreesWithFloatParseFloatBitForBit() {
    String[] samples = {
      "0", "-0", "+0", "1", "-1", "+1", "0.5", ".5", "5.", "-.25", "1e5", "1E-5", "1.5e+3",
      "123456", "1234567", "12345678", "16777216", "16777217", "0.1", "0.2", "0.3", "3.14159",
      "2.718281828459045", "1e-10", "1e10", "1e-11", "1e11", "9.99999e-5", "0.000123457",
      "340282350000000000000000000000000000000", "1.4e-45", "1e-46", "00000000000123.5000000",
      "-1.23457e-5", "7e-1", "65504", "0.0000001"
    };
    for (String s : samples) {
      assertSameAsJdk(s);
    }
  }

  @Test
  void agreesWithFloatParseFloatOnRandomDecimals() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      if (random.nextBoolean()) {
        sb.append('-');
      }
      int intDigits = random.nextInt(8);
      int fracDigits = random.nextInt(9);
      for (int k = 0; k < intDigits; k++) {
        sb.append((char) ('0' + random.nextInt(10)));
      }
      if (fracDigits > 0 || intDigits == 0) {
        sb.append('.');
        for (int k = 0; k < Math.max(fracDigits, 1); k++) {
          sb.append((char) ('0' + random.nextInt(10)));
        }
      }
      if (random.nextInt(4) == 0) {
        sb.append('e').append(random.nextInt(25) - 12);
      }
      assertSameAsJdk(sb.toString());
    }
  }

  @Test
  void returnsNonFiniteForWordsAndOverflow() {
    assertTrue(Float.isNaN(parse("nan")));
    assertTrue(Float.isNaN(parse("-NaN")));
    assertEquals(Float.POSITIVE_INFINITY, parse("inf"));
    assertEquals(Float.NEGATIVE_INFINITY, parse("-Infinity"));
    assertEquals(Float.POSITIVE_INFINITY, parse("1e39"));
  }

  @Test
  void rejectsEverythingElse() {
    String[] bad = {"", "-", "+", ".", "e5", "1e", "1e+", "1f", "1d", "0x1p3", "1,5", "1..2",
      "--1", "1-", " 1", "1 ", "abc", "nanx", "infinit"};
    for (String s : bad) {
      assertThrows(NumberFormatException.class, () -> parse(s), "for '" + s + "'");
    }
  }
}
