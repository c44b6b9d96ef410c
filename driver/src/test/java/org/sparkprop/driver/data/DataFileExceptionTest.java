package org.sparkprop.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class DataFileExceptionTest {

  @Test
  void messageNamesFileLineProblemTokenAndFix() {
    DataFileException e =
        new DataFileException("data/train.libsvm", 1234, 99, "17:abc", "bad feature value 'abc'");
    assertEquals(
        "data/train.libsvm:1234: bad feature value 'abc' in token '17:abc' \u2014 fix or remove"
            + " the line",
        e.getMessage());
  }

  @Test
  void byteOffsetUntilTheLineIsKnown() {
    RecordFormatException cause = new RecordFormatException("bad label 'x'", "x");
    DataFileException e = DataFileException.of("part-0", -1, 4096, cause);
    assertEquals(
        "part-0 (byte offset 4096): bad label 'x' \u2014 fix or remove the line", e.getMessage());
    assertSame(cause, e.getCause());
    DataFileException withLine = e.withLine(17);
    assertEquals("part-0:17: bad label 'x' \u2014 fix or remove the line", withLine.getMessage());
    assertEquals(17, withLine.line());
    assertEquals(4096, withLine.byteOffset());
    assertEquals("x", withLine.token());
    assertEquals("bad label 'x'", withLine.problem());
    assertSame(cause, withLine.getCause());
    assertEquals(-1, e.line(), "the original is unchanged");
  }

  @Test
  void fileLevelProblemHasNoLineHint() {
    DataFileException e = new DataFileException("data/", -1, -1, null, "has no rows");
    assertEquals("data/: has no rows", e.getMessage());
    assertNull(e.hint());
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    DataFileException e = new DataFileException("f.csv", 3, 10, "abc", "bad number 'abc'");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      DataFileException copy = (DataFileException) in.readObject();
      assertEquals(e.getMessage(), copy.getMessage());
      assertEquals(3, copy.line());
      assertEquals(10, copy.byteOffset());
    }
  }

  @Test
  void recordExceptionMessage() {
    assertEquals(
        "bad feature value 'abc' in token '17:abc'",
        new RecordFormatException("bad feature value 'abc'", "17:abc").getMessage());
    assertEquals(
        "wrong number of columns",
        new RecordFormatException("wrong number of columns", null).getMessage());
  }
}
