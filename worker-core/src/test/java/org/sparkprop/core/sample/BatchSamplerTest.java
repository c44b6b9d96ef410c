package org.sparkprop.core.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sampler is a pure function of (seed, partition, step) and never drops a row. */
class BatchSamplerTest {
  private static int[] rows(long seed, int partition, int numRows, long step, int perStep) {
    int[] out = new int[perStep];
    new BatchSampler(seed, partition, numRows).rowsForStep(step, perStep, 1, out);
    return out;
  }

  @Test
  void sameInputsSameRowsInAnyOrderOfCalls() {
    BatchSampler s = new BatchSampler(42, 1, 1000);
    int[] step7 = new int[64];
    s.rowsForStep(7, 64, 1, step7);
    int[] step3 = new int[64];
    s.rowsForStep(3, 64, 1, step3);
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
      s.rowsForStep(step, 3, 1, out);
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
  void everyStepUsesExactlyTheGlobalBatch() {
    for (int p = 1; p <= 7; p++) {
      for (int batch : new int[] {1, 2, 5, 100, 256}) {
        for (long step = 0; step < 50; step++) {
          int total = 0;
          for (int q = 0; q < p; q++) {
            total += BatchSampler.rowsPerStep(batch, p, q, step);
          }
          assertEquals(batch, total, "batch " + batch + " over " + p + " at step " + step);
        }
      }
    }
  }

  @Test
  void theRemainderRotatesSoEveryPartitionGetsTheSameShare() {
    // 256 over 3: base 85, remainder 1 rotates 0, 1, 2, 0, ...
    assertEquals(86, BatchSampler.rowsPerStep(256, 3, 0, 0));
    assertEquals(85, BatchSampler.rowsPerStep(256, 3, 1, 0));
    assertEquals(86, BatchSampler.rowsPerStep(256, 3, 1, 1));
    assertEquals(86, BatchSampler.rowsPerStep(256, 3, 2, 2));
    assertEquals(86, BatchSampler.rowsPerStep(256, 3, 0, 3));
    // A batch smaller than the partition count: every partition still takes turns.
    int[] rows = new int[5];
    for (long step = 0; step < 50; step++) {
      for (int p = 0; p < 5; p++) {
        rows[p] += BatchSampler.rowsPerStep(2, 5, p, step);
      }
    }
    for (int r : rows) {
      assertEquals(20, r);
    }
  }

  @Test
  void streamPositionsAreContiguousAcrossSteps() {
    // Each partition's rows over consecutive steps tile its stream: every row once per pass.
    int numRows = 7;
    BatchSampler s = new BatchSampler(3, 1, numRows);
    int[] seen = new int[numRows];
    int[] out = new int[10];
    int total = 0;
    for (long step = 0; step < 21; step++) { // 10 over 3 partitions: partition 1 gets 3 or 4
      int n = s.rowsForStep(step, 10, 3, out);
      for (int k = 0; k < n; k++) {
        seen[out[k]]++;
      }
      total += n;
    }
    assertEquals(70, total, "21 steps x 10 rows / 3 partitions, remainder shared evenly");
    for (int c : seen) {
      assertEquals(10, c);
    }
  }
}
