package org.sparkprop.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LibsvmParserTest {
  private final LibsvmParser parser = new LibsvmParser();
  private final ParsedRow row = new ParsedRow();

  private static int[] indices(ParsedRow r) {
    return Arrays.copyOf(r.indices(), r.nnz());
  }

  private static float[] values(ParsedRow r) {
    return Arrays.copyOf(r.values(), r.nnz());
  }

  @Test
  void parsesOneBasedLine() {
    parser.parse("1 3:0.5 10:-2 11:1e-3", row);
    assertTrue(row.isSparse());
    assertEquals(1f, row.label());
    assertArrayEquals(new int[] {2, 9, 10}, indices(row));
    assertArrayEquals(new float[] {0.5f, -2f, 1e-3f}, values(row));
    assertEquals(11, row.minNumFeatures());
  }

  @Test
  void parsesZeroBasedLine() {
    LibsvmParser zero = new LibsvmParser(false, 0);
    zero.parse("-1 0:1.5 4:2", row);
    assertEquals(-1f, row.label());
    assertArrayEquals(new int[] {0, 4}, indices(row));
    assertArrayEquals(new float[] {1.5f, 2f}, values(row));
  }

  @Test
  void ignoresCommentsQidTabsAndCrlf() {
    parser.parse("  +1\tqid:7  2:3.25\t\t5:-0.125 # a comment 9:9\r\n", row);
    assertEquals(1f, row.label());
    assertArrayEquals(new int[] {1, 4}, indices(row));
    assertArrayEquals(new float[] {3.25f, -0.125f}, values(row));

    parser.parse("0 1:1\r", row);
    assertArrayEquals(new int[] {0}, indices(row));
    parser.parse("2#comment right after the label", row);
    assertEquals(2f, row.label());
    assertEquals(0, row.nnz());
  }

  @Test
  void dropsZeroValuesButChecksTheirIndices() {
    parser.parse("1 1:0 2:0.0 3:-0 4:7", row);
    assertArrayEquals(new int[] {3}, indices(row));
    RecordFormatException e =
        assertThrows(RecordFormatException.class, () -> parser.parse("1 4:0 4:1", row));
    assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
  }

  @Test
  void labelOnlyLineHasNoFeatures() {
    parser.parse("3", row);
    assertEquals(3f, row.label());
    assertEquals(0, row.nnz());
    assertEquals(0, row.minNumFeatures());
  }

  @Test
  void reusesTheRowBuffer() {
    StringBuilder sb = new StringBuilder("1");
    for (int j = 1; j <= 100; j++) {
      sb.append(' ').append(j).append(":1");
    }
    parser.parse(sb.toString(), row);
    assertEquals(100, row.nnz());
    parser.parse("0 7:2", row);
    assertEquals(1, row.nnz());
    assertEquals(6, row.index(0));
    assertEquals(2f, row.value(0));
    assertEquals(0f, row.label());
  }

  @Test
  void recognisesBlankAndCommentLines() {
    assertTrue(parser.isBlankOrComment(""));
    assertTrue(parser.isBlankOrComment("   \t"));
    assertTrue(parser.isBlankOrComment("\r"));
    assertTrue(parser.isBlankOrComment("# header"));
    assertTrue(parser.isBlankOrComment("   # indented"));
    assertFalse(parser.isBlankOrComment("1 2:3"));
    assertFalse(parser.isBlankOrComment(" 0"));
  }

  private RecordFormatException fails(LibsvmParser p, String line) {
    return assertThrows(RecordFormatException.class, () -> p.parse(line, row));
  }

  private RecordFormatException fails(String line) {
    return fails(parser, line);
  }

  private static void assertNames(RecordFormatException e, String token, String... phrases) {
    assertEquals(token, e.token());
    assertTrue(e.getMessage().contains("'" + token + "'"), e.getMessage());
    for (String phrase : phrases) {
      assertTrue(e.getMessage().contains(phrase), e.getMessage());
    }
  }

  @Test
  void badLabel() {
    assertNames(fails("abc 1:2"), "abc", "bad label");
    assertNames(fails("1,5 1:2"), "1,5", "bad label");
    assertNames(fails("1f 1:2"), "1f", "bad label");
  }

  @Test
  void nonFiniteLabel() {
    assertNames(fails("nan 1:2"), "nan", "NaN/Inf is not allowed");
    assertNames(fails("-Infinity 1:2"), "-Infinity", "NaN/Inf is not allowed");
    assertNames(fails("1e39 1:2"), "1e39", "NaN/Inf is not allowed");
  }

  @Test
  void missingColon() {
    RecordFormatException e = fails("1 2:1 35");
    assertNames(e, "35", "missing ':'");
  }

  @Test
  void badIndex() {
    assertNames(fails("1 a:2"), "a:2", "bad feature index 'a'");
    assertNames(fails("1 :2"), ":2", "bad feature index");
    assertNames(fails("1 1.5:2"), "1.5:2", "bad feature index");
    assertNames(fails("1 99999999999999999:2"), "99999999999999999:2", "bad feature index");
  }

  @Test
  void indexBelowTheBase() {
    assertNames(fails("1 0:2"), "0:2", "below 1");
    assertNames(fails(new LibsvmParser(false, 0), "1 -1:2"), "-1:2", "negative");
    new LibsvmParser(false, 0).parse("1 0:2", row);
    assertEquals(0, row.index(0));
  }

  @Test
  void indexBeyondTheConfiguredDimension() {
    LibsvmParser fixed = new LibsvmParser(true, 10);
    fixed.parse("1 10:1", row);
    assertEquals(9, row.index(0));
    RecordFormatException e = fails(fixed, "1 3:1 11:1");
    assertNames(e, "11:1", "data.num_features", "10");
    RecordFormatException zero = fails(new LibsvmParser(false, 10), "1 10:1");
    assertNames(zero, "10:1", "data.num_features = 10", "0..9");
    assertNames(fails("1 3000000000:1"), "3000000000:1", "too large");
  }

  @Test
  void indicesMustIncrease() {
    assertNames(fails("1 5:1 3:1"), "3:1", "indices must be strictly increasing");
    assertNames(fails("1 5:1 5:2"), "5:2", "indices must be strictly increasing");
  }

  @Test
  void badValue() {
    RecordFormatException e = fails("1 17:abc");
    assertNames(e, "17:abc", "bad feature value 'abc'");
    assertEquals("bad feature value 'abc' in token '17:abc'", e.getMessage());
    assertNames(fails("1 3:"), "3:", "bad feature value");
    assertNames(fails("1 3:1:2"), "3:1:2", "bad feature value");
    assertNames(fails("1 3:0x10"), "3:0x10", "bad feature value");
    assertNames(fails("1 3:2,5"), "3:2,5", "bad feature value");
  }

  @Test
  void nonFiniteValue() {
    assertNames(fails("1 3:NaN"), "3:NaN", "NaN/Inf is not allowed");
    assertNames(fails("1 3:inf"), "3:inf", "NaN/Inf is not allowed");
    assertNames(fails("1 3:-1e99"), "3:-1e99", "NaN/Inf is not allowed");
  }

  @Test
  void emptyLineIsAnError() {
    RecordFormatException e = fails("   # only a comment");
    assertTrue(e.getMessage().contains("no label"), e.getMessage());
  }

  @Test
  void rejectsBadOptions() {
    assertThrows(IllegalArgumentException.class, () -> new LibsvmParser(true, -1));
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    LibsvmParser p = new LibsvmParser(false, 77);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(p);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      LibsvmParser copy = (LibsvmParser) in.readObject();
      assertFalse(copy.oneBased());
      assertEquals(77, copy.numFeatures());
    }
  }
}
