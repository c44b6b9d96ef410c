package org.sparkprop.core.sample;

import java.util.SplittableRandom;

/**
 * Chooses the rows a partition contributes to a training step, as a pure function of
 * (seed, partition, step) and the partition's row count.
 *
 * <p>Each partition walks an endless stream made of shuffled passes over its own rows: pass e is
 * a permutation of {@code 0..numRows-1} drawn from (seed, partition, e). Each step takes the next
 * {@link #rowsPerStep} positions of that stream, so every row is used once per pass, a step may
 * straddle two passes, and no row is ever dropped. Because the result depends on
 * nothing else, a retried task, a resumed run and a rerun all pick the same rows.
 *
 * <p>Instances cache the current pass's permutation; they are not thread-safe (use one per task
 * thread), but two instances always agree.
 */
public final class BatchSampler {
  private final long seed;
  private final int partition;
  private final int numRows;
  private int[] permutation;
  private long permutationPass = -1;

  /**
   * @param numRows rows in this partition, at least 1
   */
  public BatchSampler(long seed, int partition, int numRows) {
    if (numRows < 1) {
      throw new IllegalArgumentException("partition " + partition + " has no rows");
    }
    this.seed = seed;
    this.partition = partition;
    this.numRows = numRows;
  }

  /**
   * Writes the rows of step {@code step} (0-based) into {@code out}, for a global batch of
   * {@code globalBatch} rows over {@code numPartitions} partitions; returns how many rows this
   * partition contributes (see {@link #rowsPerStep}).
   */
  public int rowsForStep(long step, int globalBatch, int numPartitions, int[] out) {
    int count = rowsPerStep(globalBatch, numPartitions, partition, step);
    long position = streamStart(globalBatch, numPartitions, partition, step);
    for (int k = 0; k < count; k++, position++) {
      long pass = position / numRows;
      int offset = (int) (position % numRows);
      out[k] = permutationOf(pass)[offset];
    }
    return count;
  }

  private int[] permutationOf(long pass) {
    if (pass != permutationPass) {
      if (permutation == null) {
        permutation = new int[numRows];
      }
      fillPermutation(permutation, mix(seed, partition, pass));
      permutationPass = pass;
    }
    return permutation;
  }

  /** Fisher-Yates shuffle of the identity, driven by a generator seeded with {@code key}. */
  static void fillPermutation(int[] perm, long key) {
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    SplittableRandom random = new SplittableRandom(key);
    for (int i = perm.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
  }

  /** Combines the inputs into one well-spread 64-bit key (SplitMix64 finaliser steps). */
  static long mix(long seed, int partition, long pass) {
    long h = seed * 0x9E3779B97F4A7C15L;
    h = fmix(h ^ (partition + 0x632BE59BD9B4E019L));
    h = fmix(h ^ (pass * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
    return h;
  }

  private static long fmix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Rows partition {@code partition} contributes to step {@code step}: {@code globalBatch /
   * numPartitions}, plus one for the partitions that receive the remainder {@code r = globalBatch
   * mod numPartitions} at this step. The remainder rotates: step t gives it to partitions
   * {@code (t*r + j) mod numPartitions}, j < r, so over time every partition gets the same share
   * (no partition is over-weighted, and with a batch smaller than the partition count every
   * partition still takes turns).
   */
  public static int rowsPerStep(int globalBatch, int numPartitions, int partition, long step) {
    return (int) (streamStart(globalBatch, numPartitions, partition, step + 1)
        - streamStart(globalBatch, numPartitions, partition, step));
  }

  /** Rows partition {@code partition} has contributed before step {@code step}. */
  static long streamStart(int globalBatch, int numPartitions, int partition, long step) {
    long base = globalBatch / numPartitions;
    long r = globalBatch % numPartitions;
    // Extra slots k = 0, 1, 2, ... go to partition k mod P; steps 0..step-1 used step*r of them.
    long slots = step * r;
    long extras = slots > partition ? (slots - partition + numPartitions - 1) / numPartitions : 0;
    return step * base + extras;
  }
}
