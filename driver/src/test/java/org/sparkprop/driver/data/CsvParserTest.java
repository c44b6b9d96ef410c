package org.sparkprop.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CsvParserTest {
  private final ParsedRow row = new ParsedRow();

  private static float[] dense(ParsedRow r) {
    return Arrays.copyOf(r.denseValues(), r.size());
  }

  @Test
  void labelFirstByDefault() {
    CsvParser p = new CsvParser();
    p.parse("1,0.5,-2,3e2", row);
    assertFalse(row.isSparse());
    assertEquals(1f, row.label());
    assertArrayEquals(new float[] {0.5f, -2f, 300f}, dense(row));
    assertEquals(3, row.minNumFeatures());
    assertEquals(4, p.columns());
  }

  @Test
  void labelLastAndInTheMiddle() {
    new CsvParser(',', -1, 0).parse("0.5,-2,7", row);
    assertEquals(7f, row.label());
    assertArrayEquals(new float[] {0.5f, -2f}, dense(row));
    new CsvParser(',', 1, 0).parse("0.5,9,-2", row);
    assertEquals(9f, row.label());
    assertArrayEquals(new float[] {0.5f, -2f}, dense(row));
  }

  @Test
  void toleratesSpacesQuotesAndCr() {
    CsvParser p = new CsvParser();
    p.parse(" 1 , 2.5 ,\t\"3\" \r", row);
    assertEquals(1f, row.label());
    assertArrayEquals(new float[] {2.5f, 3f}, dense(row));
    p.parse("2,1,1\r\n", row);
    assertEquals(2f, row.label());
  }

  @Test
  void otherDelimiters() {
    CsvParser tsv = new CsvParser('\t', 0, 0);
    tsv.parse("4\t1.5\t-1", row);
    assertEquals(4f, row.label());
    assertArrayEquals(new float[] {1.5f, -1f}, dense(row));
    CsvParser semicolon = new CsvParser(';', -1, 3);
    semicolon.parse("1.5;2;3", row);
    assertEquals(3f, row.label());
  }

  @Test
  void isLocaleIndependent() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      CsvParser p = new CsvParser(';', 0, 0);
      p.parse("1;2.5", row);
      assertArrayEquals(new float[] {2.5f}, dense(row));
      RecordFormatException e =
          assertThrows(RecordFormatException.class, () -> p.parse("1;2,5", row));
      assertEquals("2,5", e.token());
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void columnCountMustMatchTheFirstRow() {
    CsvParser p = new CsvParser();
    p.parse("1,2,3", row);
    RecordFormatException more =
        assertThrows(RecordFormatException.class, () -> p.parse("1,2,3,4", row));
    assertTrue(more.getMessage().contains("expected 3"), more.getMessage());
    assertTrue(more.getMessage().contains("found 4"), more.getMessage());
    RecordFormatException fewer =
        assertThrows(RecordFormatException.class, () -> p.parse("1,2", row));
    assertTrue(fewer.getMessage().contains("expected 3"), fewer.getMessage());
    assertTrue(fewer.getMessage().contains("found 2"), fewer.getMessage());
  }

  @Test
  void columnCountMustMatchTheExpectedCount() {
    CsvParser p = new CsvParser(',', 0, 4);
    RecordFormatException e =
        assertThrows(RecordFormatException.class, () -> p.parse("1,2,3", row));
    assertEquals("wrong number of columns: expected 4, found 3", e.getMessage());
    assertNull(e.token());
    RecordFormatException trailing =
        assertThrows(RecordFormatException.class, () -> p.parse("1,2,3,4,", row));
    assertTrue(trailing.getMessage().contains("found 5"), trailing.getMessage());
  }

  @Test
  void emptyField() {
    CsvParser p = new CsvParser();
    RecordFormatException e =
        assertThrows(RecordFormatException.class, () -> p.parse("1,,3", row));
    assertTrue(e.getMessage().contains("column 1 (0-based) is empty"), e.getMessage());
    RecordFormatException label =
        assertThrows(RecordFormatException.class, () -> p.parse(" ,2,3", row));
    assertTrue(label.getMessage().contains("label column 0"), label.getMessage());
  }

  @Test
  void badNumberNamesTheToken() {
    CsvParser p = new CsvParser();
    RecordFormatException e =
        assertThrows(RecordFormatException.class, () -> p.parse("1,abc,3", row));
    assertEquals("abc", e.token());
    assertTrue(e.getMessage().contains("bad number 'abc'"), e.getMessage());
    assertTrue(e.getMessage().contains("column 1"), e.getMessage());
    RecordFormatException label =
        assertThrows(RecordFormatException.class, () -> p.parse("cat,1,3", row));
    assertEquals("cat", label.token());
  }

  @Test
  void hintsAtTheDelimiter() {
    CsvParser p = new CsvParser();
    RecordFormatException e =
        assertThrows(RecordFormatException.class, () -> p.parse("1;2;3", row));
    assertEquals("1;2;3", e.token());
    assertTrue(e.getMessage().contains("check data.csv.delimiter"), e.getMessage());
  }

  @Test
  void nonFiniteValues() {
    CsvParser p = new CsvParser();
    RecordFormatException e =
        assertThrows(RecordFormatException.class, () -> p.parse("1,NaN,3", row));
    assertEquals("NaN", e.token());
    assertTrue(e.getMessage().contains("NaN/Inf is not allowed"), e.getMessage());
    RecordFormatException label =
        assertThrows(RecordFormatException.class, () -> p.parse("-inf,1,3", row));
    assertEquals("-inf", label.token());
    assertTrue(label.getMessage().contains("NaN/Inf is not allowed"), label.getMessage());
  }

  @Test
  void needsALabelAndAFeature() {
    CsvParser p = new CsvParser();
    RecordFormatException e = assertThrows(RecordFormatException.class, () -> p.parse("1", row));
    assertTrue(e.getMessage().contains("at least one feature"), e.getMessage());
    CsvParser farLabel = new CsvParser(',', 5, 0);
    RecordFormatException missing =
        assertThrows(RecordFormatException.class, () -> farLabel.parse("1,2,3", row));
    assertTrue(missing.getMessage().contains("label column 5"), missing.getMessage());
  }

  @Test
  void blankLines() {
    CsvParser p = new CsvParser();
    assertTrue(p.isBlank(" \t\r"));
    assertTrue(p.isBlank(""));
    assertFalse(p.isBlank("1,2"));
  }

  @Test
  void rejectsBadOptions() {
    assertThrows(IllegalArgumentException.class, () -> new CsvParser('.', 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new CsvParser(',', -2, 0));
    assertThrows(IllegalArgumentException.class, () -> new CsvParser(',', 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new CsvParser(',', 3, 3));
  }
}
