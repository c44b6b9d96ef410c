package org.sparkprop.driver.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Decimal6Test {

  @Test
  void compactText() {
    assertEquals("0", Decimal6.toString(0));
    assertEquals("1", Decimal6.toString(1));
    assertEquals("-1", Decimal6.toString(-1));
    assertEquals("0.5", Decimal6.toString(0.5));
    assertEquals("-1.25", Decimal6.toString(-1.25));
    assertEquals("100", Decimal6.toString(100));
    assertEquals("3.14159", Decimal6.toString(Math.PI));
    assertEquals("-0.0725922", Decimal6.toString(-0.07259222));
    assertEquals("0.00123457", Decimal6.toString(0.001234567));
    assertEquals("1.23e-4", Decimal6.toString(0.000123));
    assertEquals("1234570", Decimal6.toString(1234567));
    assertEquals("1.23457e7", Decimal6.toString(12345678));
    assertEquals("1e7", Decimal6.toString(1e7));
    assertEquals("-5e-12", Decimal6.toString(-5e-12));
    assertEquals("1", Decimal6.toString(0.9999999));
    assertEquals("1000000", Decimal6.toString(999999.6));
  }

  @Test
  void textParsesBackToToFloat() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 200_000; i++) {
      double v = random.nextGaussian() * Math.pow(10, random.nextInt(-15, 15));
      long encoded = Decimal6.encode(v);
      int m = Decimal6.mantissa(encoded);
      int p = Decimal6.power(encoded);
      String text = Decimal6.toString(v);
      float expected = Decimal6.toFloat(m, p);
      assertEquals(
          Float.floatToIntBits(Float.parseFloat(text)), Float.floatToIntBits(expected), text);
      assertTrue(Math.abs(m) < 1_000_000 && (m % 10 != 0), text);
      assertTrue(Math.abs(expected - v) <= 5.1e-6 * Math.abs(v), text + " for " + v);
      // Formatting the value as read back gives the same text (the generator relies on it).
      assertEquals(text, Decimal6.toString(expected), "idempotent for " + v);
    }
  }

  @Test
  void doesNotDependOnTheLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("-1.5", Decimal6.toString(-1.5));
      assertEquals("2.5e-7", Decimal6.toString(2.5e-7));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void rejectsNonFinite() {
    assertThrows(IllegalArgumentException.class, () -> Decimal6.encode(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Decimal6.encode(1e31));
  }
}
