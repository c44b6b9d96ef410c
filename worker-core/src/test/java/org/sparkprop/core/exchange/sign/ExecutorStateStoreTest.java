package org.sparkprop.core.exchange.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Versioning by step, retries, missing state, the two-version bound, concurrency. */
class ExecutorStateStoreTest {
  private static final String RUN = "run-a";

  private static PartitionState state(float v) {
    return PartitionState.of(SignStep.RESIDUAL, new float[] {v});
  }

  private static float value(PartitionState s) {
    return s.get(SignStep.RESIDUAL)[0];
  }

  @Test
  void aRetryAtStepTReadsStepTMinusOneEvenAfterTheFailedAttemptWroteT() {
    ExecutorStateStore store = new ExecutorStateStore();
    store.write(StateRef.next(RUN, 0, 0), state(10f));
    StateRef t1 = StateRef.next(RUN, 0, 1);
    assertEquals(10f, value(store.read(t1)));
    assertTrue(store.write(t1, state(11f))); // the attempt wrote step 1, then failed
    PartitionState retry = store.read(t1);
    assertEquals(10f, value(retry), "the retry sees step 0's state again");
    assertFalse(retry.missing());
    assertTrue(store.write(t1, state(11.5f))); // the retry's write replaces the attempt's
    assertArrayEquals(new long[] {0, 1}, store.versions(RUN, 0));
    assertEquals(11.5f, value(store.read(StateRef.next(RUN, 0, 2))));
  }

  @Test
  void missingStateIsReportedAndCountedButAFirstStepIsNot() {
    ExecutorStateStore store = new ExecutorStateStore();
    PartitionState first = store.read(StateRef.next(RUN, 3, 0));
    assertFalse(first.missing());
    assertTrue(first.names().isEmpty());
    assertFalse(store.read(StateRef.first(RUN, 3, 17)).missing());
    assertEquals(0, store.missingReads());

    PartitionState lost = store.read(StateRef.next(RUN, 3, 5));
    assertTrue(lost.missing());
    assertNull(lost.get(SignStep.RESIDUAL));
    assertEquals(1, store.missingReads());

    // a state held for another step is not a substitute: still missing
    store.write(StateRef.next(RUN, 3, 2), state(1f));
    assertTrue(store.read(StateRef.next(RUN, 3, 5)).missing());
    assertEquals(2, store.missingReads());

    // the missing flag is not stored: a state written back after a miss reads as present
    store.write(StateRef.next(RUN, 3, 5), lost);
    assertFalse(store.read(StateRef.next(RUN, 3, 6)).missing());
  }

  @Test
  void atMostTwoVersionsAreHeld() {
    ExecutorStateStore store = new ExecutorStateStore();
    for (long t = 0; t < 100; t++) {
      StateRef ref = StateRef.next(RUN, 1, t);
      float prev = t == 0 ? 0f : value(store.read(ref));
      assertEquals(t == 0 ? 0f : t - 1, prev);
      store.write(ref, state(t));
      long[] held = store.versions(RUN, 1);
      assertTrue(held.length <= 2, "held " + held.length + " versions at step " + t);
      assertEquals(t, held[held.length - 1]);
    }
    assertArrayEquals(new long[] {98, 99}, store.versions(RUN, 1));
    assertEquals(2 * 4, store.bytes());
  }

  @Test
  void anOlderBaseRollsBackSkippedSteps() {
    ExecutorStateStore store = new ExecutorStateStore();
    store.write(StateRef.next(RUN, 0, 0), state(0f));
    store.write(StateRef.next(RUN, 0, 1), state(1f)); // the driver skips step 1
    StateRef t2 = new StateRef(RUN, 0, 2, 0); // continue from step 0
    assertEquals(0f, value(store.read(t2)));
    store.write(t2, state(2f));
    assertArrayEquals(new long[] {0, 2}, store.versions(RUN, 0), "the base survives, 1 goes");
    assertEquals(0f, value(store.read(t2)), "a retry of step 2 still sees step 0");
    store.write(StateRef.next(RUN, 0, 3), state(3f));
    assertArrayEquals(new long[] {2, 3}, store.versions(RUN, 0));
  }

  @Test
  void staleWritesAreIgnored() {
    ExecutorStateStore store = new ExecutorStateStore();
    store.write(StateRef.next(RUN, 0, 4), state(4f));
    store.write(StateRef.next(RUN, 0, 5), state(5f));
    assertFalse(store.write(StateRef.next(RUN, 0, 3), state(-1f)), "a zombie of step 3");
    assertFalse(store.write(StateRef.next(RUN, 0, 4), state(-1f)), "a zombie of step 4");
    assertEquals(2, store.staleWrites());
    assertArrayEquals(new long[] {4, 5}, store.versions(RUN, 0));
    assertEquals(4f, value(store.read(StateRef.next(RUN, 0, 5))));
  }

  @Test
  void clearDropsOneRunOnly() {
    ExecutorStateStore store = new ExecutorStateStore();
    store.write(StateRef.next("a", 0, 0), state(1f));
    store.write(StateRef.next("a", 1, 0), state(1f));
    store.write(StateRef.next("b", 0, 0), state(2f));
    store.clear("a");
    assertEquals(0, store.versions("a", 0).length);
    assertEquals(0, store.versions("a", 1).length);
    assertEquals(2f, value(store.read(StateRef.next("b", 0, 1))));
    store.clearAll();
    assertEquals(0, store.bytes());
  }

  @Test
  void runsAndPartitionsDoNotMix() {
    ExecutorStateStore store = new ExecutorStateStore();
    store.write(StateRef.next("a", 0, 0), state(1f));
    assertTrue(store.read(StateRef.next("a", 1, 1)).missing());
    assertTrue(store.read(StateRef.next("b", 0, 1)).missing());
    assertSame(store.read(StateRef.next("a", 0, 1)), store.read(StateRef.next("a", 0, 1)));
  }

  @Test
  void badRefsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new StateRef("", 0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new StateRef(RUN, -1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new StateRef(RUN, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new StateRef(RUN, 0, 1, -2));
    assertEquals(StateRef.NONE, StateRef.next(RUN, 0, 0).baseStep());
    assertEquals(6, StateRef.next(RUN, 0, 7).baseStep());
  }

  /**
   * Many partitions stepping concurrently in one store, each task attempted twice (the first
   * attempt's write is overwritten by the retry): every partition ends where a sequential run
   * on its own store ends, bit for bit.
   */
  @Test
  void concurrentPartitionsWithRetriesMatchASequentialRun() throws Exception {
    int partitions = 16;
    int steps = 60;
    Segments seg = Segments.ofBounds(0, 100, 333);
    ExecutorStateStore shared = new ExecutorStateStore();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int part = p;
        results.add(pool.submit(() -> run(shared, seg, part, steps, true)));
      }
      for (int p = 0; p < partitions; p++) {
        long[] expected = run(new ExecutorStateStore(), seg, p, steps, false);
        assertArrayEquals(expected, results.get(p).get(60, TimeUnit.SECONDS), "partition " + p);
        assertTrue(shared.versions("conc", p).length <= 2);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, shared.missingReads());
  }

  /** Runs EF steps of one partition; returns a hash of every payload's bits and scales. */
  private static long[] run(ExecutorStateStore store, Segments seg, int p, int steps,
      boolean retry) {
    long[] hashes = new long[steps];
    for (int t = 0; t < steps; t++) {
      float[] g = ErrorFeedbackTest.gaussian(
          new SplittableRandom(1000L * p + t), seg.length(), 1.0);
      StateRef ref = StateRef.next("conc", p, t);
      SignPayload payload = SignStep.efStep(store, ref, seg, g, 0.0, 1);
      if (retry) {
        SignPayload again = SignStep.efStep(store, ref, seg, g, 0.0, 1);
        assertArrayEquals(payload.bits(), again.bits());
        assertArrayEquals(payload.scales(), again.scales(), 0f);
        payload = again;
      }
      long h = Arrays.hashCode(payload.bits());
      hashes[t] = 31 * h + Arrays.hashCode(payload.scales());
    }
    return hashes;
  }
}
