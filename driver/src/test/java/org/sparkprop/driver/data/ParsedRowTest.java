package org.sparkprop.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParsedRowTest {

  @Test
  void growsAndKeepsItsArrays() {
    ParsedRow row = new ParsedRow();
    row.clearSparse();
    for (int k = 0; k < 1000; k++) {
      row.addSparse(k * 2, k);
    }
    assertEquals(1000, row.nnz());
    assertEquals(1998, row.index(999));
    assertEquals(999f, row.value(999));
    assertEquals(1999, row.minNumFeatures());
    int[] indices = row.indices();
    row.clearSparse();
    row.addSparse(3, 1f);
    assertSame(indices, row.indices(), "no new array once large enough");
    assertEquals(1, row.nnz());
  }

  @Test
  void denseRow() {
    ParsedRow row = new ParsedRow();
    row.setLabel(4f);
    for (int j = 0; j < 40; j++) {
      row.addDense(j);
    }
    assertFalse(row.isSparse());
    assertEquals(40, row.size());
    assertEquals(39f, row.removeLastDense());
    assertEquals(39, row.minNumFeatures());
    assertEquals(7f, row.dense(7));
    row.clear();
    assertEquals(0, row.size());
    assertEquals(0f, row.label());
    assertTrue(row.toString().contains("dense"));
  }
}
