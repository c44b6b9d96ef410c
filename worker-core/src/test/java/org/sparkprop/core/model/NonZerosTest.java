package org.sparkprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NonZerosTest {

  @Test
  void collectsTheNonZerosRowByRowWithTheColumnsTheyTouch() {
    NonZeros nz = NonZeros.forThread();
    // 3 rows x 5 columns; -0 is a zero, NaN is not
    float[] x = {
      0f, 2f, 0f, 0f, -0f,
      0f, 0f, 0f, 0f, 0f,
      Float.NaN, 0f, 0f, 0f, 3f,
    };
    assertTrue(nz.collect(x, 3, 5));
    assertEquals(3, nz.numRows);
    assertEquals(5, nz.numFeatures);
    assertArrayEquals(new int[] {0, 1, 1, 3}, Arrays.copyOf(nz.rowStart, 4));
    assertArrayEquals(new int[] {1, 0, 4}, Arrays.copyOf(nz.columns, 3));
    assertArrayEquals(new float[] {2f, Float.NaN, 3f}, Arrays.copyOf(nz.values, 3));
    assertArrayEquals(
        new boolean[] {true, true, false, false, true}, Arrays.copyOf(nz.touched, 5));

    // reused for a smaller batch: nothing of the previous one is left
    assertTrue(nz.collect(new float[] {0f, 0f, 0f, 0f, 0f, 0f, 0f, 1f}, 2, 4));
    assertArrayEquals(new int[] {0, 0, 1}, Arrays.copyOf(nz.rowStart, 3));
    assertEquals(3, nz.columns[0]);
    assertArrayEquals(new boolean[] {false, false, false, true}, Arrays.copyOf(nz.touched, 4));
  }

  @Test
  void refusesABatchAboveTheDensityLimitWhereverTheNonZerosAre() {
    NonZeros nz = NonZeros.forThread();
    int n = 20;
    int d = 10;
    int limit = (int) (NonZeros.MAX_DENSITY * (n * d));
    for (boolean front : new boolean[] {true, false}) {
      float[] x = new float[n * d];
      for (int i = 0; i < limit; i++) {
        x[front ? i : x.length - 1 - i] = 1f;
      }
      assertTrue(nz.collect(x, n, d), "exactly at the limit, front=" + front);
      assertEquals(limit, nz.rowStart[n]);
      x[front ? limit : x.length - 1 - limit] = 1f;
      assertFalse(nz.collect(x, n, d), "one above, front=" + front);
    }
    float[] full = new float[n * d];
    Arrays.fill(full, 1f);
    assertFalse(nz.collect(full, n, d));
    // and is usable again afterwards
    assertTrue(nz.collect(new float[n * d], n, d));
    assertEquals(0, nz.rowStart[n]);
  }
}
