package org.sparkprop.core.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sampler is a pure function of (seed, partition, step) and never drops a row. */
class BatchSamplerTest {
  private static int[] rows(long seed, int partition, int numRows, long step, int perStep) {
    int[] out = new int[perStep];
    new BatchSampler(seed, partition, numRows).rowsForStep(step, perStep, out);
    return out;
  }

  @Test
  void sameInputsSameRowsInAnyOrderOfCalls() {
    BatchSampler s = new BatchSampler(42, 1, 1000);
    int[] step7 = new int[64];
    s.rowsForStep(7, 64, step7);
    int[] step3 = new int[64];
    s.rowsForStep(3, 64, step3);
    assertArrayEquals(step7, rows(42, 1, 1000, 7, 64), "a fresh sampler agrees");
    assertArrayEquals(step3, rows(42, 1, 1000, 3, 64));
  }

  @Test
  void seedAndPartitionChangeTheRows() {
    int[] base = rows(42, 0, 1000, 0, 32);
    assertFalse(Arrays.equals(base, rows(43, 0, 1000, 0, 32)));
    assertFalse(Arrays.equals(base, rows(42, 1, 1000, 0, 32)));
  }

  @Test
  void everyRowOncePerPassAcrossStepBoundaries() {
    // 10 rows, 3 per step: a pass spans steps and steps straddle passes.
    int numRows = 10;
    int[] seen = new int[numRows];
    BatchSampler s = new BatchSampler(5, 0, numRows);
    int[] out = new int[3];
    for (long step = 0; step < 10; step++) { // 30 positions = exactly 3 passes
      s.rowsForStep(step, 3, out);
      for (int r : out) {
        seen[r]++;
      }
    }
    for (int count : seen) {
      assertEquals(3, count);
    }
  }

  @Test
  void passesAreShuffledDifferently() {
    int[] pass0 = rows(9, 0, 100, 0, 100);
    int[] pass1 = rows(9, 0, 100, 1, 100);
    assertFalse(Arrays.equals(pass0, pass1));
    int[] sorted = pass1.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 100; i++) {
      assertEquals(i, sorted[i]);
    }
  }

  @Test
  void remainderGoesToTheFirstPartitions() {
    assertEquals(86, BatchSampler.rowsPerStep(256, 3, 0));
    assertEquals(85, BatchSampler.rowsPerStep(256, 3, 1));
    assertEquals(85, BatchSampler.rowsPerStep(256, 3, 2));
    int total = 0;
    for (int p = 0; p < 7; p++) {
      total += BatchSampler.rowsPerStep(100, 7, p);
    }
    assertEquals(100, total);
    assertTrue(BatchSampler.rowsPerStep(2, 3, 2) == 0);
  }
}
