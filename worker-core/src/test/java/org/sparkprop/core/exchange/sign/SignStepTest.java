package org.sparkprop.core.exchange.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.model.ParamLayout;

/** The executor one-step functions: state handling, retries, missing state, the update rules. */
class SignStepTest {
  private static final String RUN = "r1";
  private static final Segments SEG = Segments.of(new ParamLayout(6, 5, 2)); // 35 + 5 + 10 + 2

  private static float[] grad(long seed) {
    return ErrorFeedbackTest.gaussian(new SplittableRandom(seed), SEG.length(), 1.0);
  }

  private static void assertSamePayload(SignPayload a, SignPayload b) {
    assertArrayEquals(a.bits(), b.bits());
    assertArrayEquals(a.scales(), b.scales(), 0f);
    assertEquals(a.lossSum(), b.lossSum(), 0);
    assertEquals(a.count(), b.count());
  }

  @Test
  void efStepIsErrorFeedbackWithTheL1ScaleAndKeepsTheResidual() {
    ExecutorStateStore store = new ExecutorStateStore();
    int n = SEG.length();
    float[] residual = null;
    for (int t = 0; t < 5; t++) {
      float[] g = grad(t);
      float[] gCopy = g.clone();
      SignPayload p = SignStep.efStep(store, StateRef.next(RUN, 0, t), SEG, g, 2.5, 7);
      assertArrayEquals(gCopy, g, 0f, "grad is not modified");
      long[] bits = new long[SignCodec.words(n)];
      float[] scales = new float[SEG.count()];
      float[] next = new float[n];
      ErrorFeedback.compress(g, residual, SEG, Scale.L1_MEAN, bits, scales, next);
      assertArrayEquals(bits, p.bits());
      assertArrayEquals(scales, p.scales(), 0f);
      assertEquals(2.5, p.lossSum(), 0);
      assertEquals(7, p.count());
      assertFalse(p.missingState());
      residual = next;
      float[] stored = store.read(StateRef.next(RUN, 0, t + 1)).get(SignStep.RESIDUAL);
      assertArrayEquals(residual, stored, 0f);
    }
  }

  @Test
  void aRetriedTaskReturnsTheSamePayload() {
    ExecutorStateStore store = new ExecutorStateStore();
    for (int t = 0; t < 5; t++) {
      SignStep.efStep(store, StateRef.next(RUN, 2, t), SEG, grad(t), 0, 1);
    }
    StateRef t5 = StateRef.next(RUN, 2, 5);
    SignPayload attempt = SignStep.efStep(store, t5, SEG, grad(5), 1.0, 3);
    SignPayload retry = SignStep.efStep(store, t5, SEG, grad(5), 1.0, 3);
    assertSamePayload(attempt, retry);
    SignPayload third = SignStep.onebitAdamStep(store, StateRef.next(RUN, 2, 6), SEG,
        new float[SEG.length()], grad(6), 0.9, 0, 1);
    SignPayload thirdAgain = SignStep.onebitAdamStep(store, StateRef.next(RUN, 2, 6), SEG,
        new float[SEG.length()], grad(6), 0.9, 0, 1);
    assertSamePayload(third, thirdAgain);
  }

  @Test
  void aMissingStateRestartsFromZeroAndIsReportedInThePayload() {
    ExecutorStateStore survivor = new ExecutorStateStore();
    for (int t = 0; t < 5; t++) {
      SignStep.efStep(survivor, StateRef.next(RUN, 1, t), SEG, grad(t), 0, 1);
    }
    ExecutorStateStore replacement = new ExecutorStateStore(); // the task moved executors
    SignPayload moved = SignStep.efStep(replacement, StateRef.next(RUN, 1, 5), SEG, grad(5), 0, 1);
    assertTrue(moved.missingState());
    assertEquals(1, replacement.missingReads());
    SignPayload fromZero = SignStep.efStep(new ExecutorStateStore(), StateRef.first(RUN, 1, 5),
        SEG, grad(5), 0, 1);
    assertFalse(fromZero.missingState());
    assertSamePayload(fromZero, moved);
    SignAccumulator acc = SignAccumulator.forMean(SEG).add(moved).add(fromZero);
    assertEquals(1, acc.missingStates());
    // the next step on the replacement continues normally
    assertFalse(SignStep.efStep(replacement, StateRef.next(RUN, 1, 6), SEG, grad(6), 0, 1)
        .missingState());
  }

  @Test
  void majorityWithoutMomentumSendsTheSignsAndKeepsNoState() {
    ExecutorStateStore store = new ExecutorStateStore();
    float[] g = grad(3);
    g[4] = 0f;
    SignPayload p = SignStep.majorityStep(store, StateRef.next(RUN, 0, 9), g, 0.0, 4.0, 2);
    assertArrayEquals(SignCodec.pack(g), p.bits());
    assertFalse(p.hasScales());
    assertTrue(SignCodec.isPositive(p.bits(), 4), "sign(0) = +1");
    assertFalse(p.missingState());
    assertEquals(0, store.versions(RUN, 0).length);
    assertEquals(0, store.missingReads());
  }

  @Test
  void signumKeepsALocalMomentum() {
    ExecutorStateStore store = new ExecutorStateStore();
    int n = SEG.length();
    float[] b = new float[n];
    for (int t = 0; t < 4; t++) {
      float[] g = grad(t);
      SignPayload p = SignStep.majorityStep(store, StateRef.next(RUN, 0, t), g, 0.9, 0, 1);
      for (int i = 0; i < n; i++) {
        b[i] = (float) (0.9 * b[i] + 0.1 * g[i]);
      }
      assertArrayEquals(SignCodec.pack(b), p.bits());
      assertArrayEquals(b, store.read(StateRef.next(RUN, 0, t + 1)).get(SignStep.MOMENTUM), 0f);
    }
  }

  @Test
  void onebitAdamCompressesTheLocalMomentumWithTheL2Scale() {
    ExecutorStateStore store = new ExecutorStateStore();
    int n = SEG.length();
    SplittableRandom r = new SplittableRandom(8);
    float[] m = ErrorFeedbackTest.gaussian(r, n, 0.5);
    float[] g = grad(1);
    float[] mCopy = m.clone();
    SignPayload p = SignStep.onebitAdamStep(store, StateRef.first(RUN, 0, 100), SEG, m, g, 0.9,
        1, 1);
    assertArrayEquals(mCopy, m, 0f, "m is not modified");
    float[] local = new float[n];
    for (int i = 0; i < n; i++) {
      local[i] = (float) (0.9 * m[i] + (1 - 0.9) * g[i]);
    }
    float[] scales = new float[SEG.count()];
    Scale.L2_RMS.perTensor(local, SEG, scales);
    assertArrayEquals(scales, p.scales(), 0f);
    assertArrayEquals(SignCodec.pack(local), p.bits());
    float[] decoded = new float[n];
    p.addDecodedTo(SEG, decoded);
    float[] e = store.read(StateRef.next(RUN, 0, 101)).get(SignStep.RESIDUAL);
    for (int i = 0; i < n; i++) {
      assertEquals(local[i] - decoded[i], e[i], 0f);
    }
  }

  @Test
  void onebitRmspropIsEfWithL2ScaleOnMuTimesMPlusG() {
    float[] g = grad(2);
    float[] m = grad(3);
    SignPayload plain = SignStep.onebitRmspropStep(new ExecutorStateStore(),
        StateRef.first(RUN, 0, 1), SEG, null, g, 0.0, 0, 1);
    SignPayload ef = SignStep.errorFeedbackStep(new ExecutorStateStore(),
        StateRef.first(RUN, 0, 1), SEG, Scale.L2_RMS, g, 0, 1);
    assertSamePayload(ef, plain);

    SignPayload withMomentum = SignStep.onebitRmspropStep(new ExecutorStateStore(),
        StateRef.first(RUN, 0, 1), SEG, m, g, 0.5, 0, 1);
    float[] x = new float[g.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.5 * m[i] + g[i]);
    }
    SignPayload expected = SignStep.errorFeedbackStep(new ExecutorStateStore(),
        StateRef.first(RUN, 0, 1), SEG, Scale.L2_RMS, x, 0, 1);
    assertSamePayload(expected, withMomentum);
    assertThrows(IllegalArgumentException.class, () -> SignStep.onebitRmspropStep(
        new ExecutorStateStore(), StateRef.first(RUN, 0, 1), SEG, null, g, 0.5, 0, 1));
  }

  @Test
  void anEmptyBatchAbstainsAndCarriesTheStateForward() {
    ExecutorStateStore store = new ExecutorStateStore();
    SignStep.efStep(store, StateRef.next(RUN, 0, 0), SEG, grad(0), 0, 1);
    PartitionState before = store.read(StateRef.next(RUN, 0, 1));
    SignPayload p = SignStep.efStep(store, StateRef.next(RUN, 0, 1), SEG, grad(1), 0, 0);
    assertFalse(p.hasSigns());
    assertEquals(0, p.count());
    PartitionState after = store.read(StateRef.next(RUN, 0, 2));
    assertSame(before.get(SignStep.RESIDUAL), after.get(SignStep.RESIDUAL));
    assertFalse(SignStep.majorityStep(store, StateRef.next(RUN, 5, 1), grad(1), 0, 0, 0)
        .hasSigns());
  }

  @Test
  void aNonFiniteGradientIsReportedAndDoesNotPoisonTheState() {
    ExecutorStateStore store = new ExecutorStateStore();
    SignStep.efStep(store, StateRef.next(RUN, 0, 0), SEG, grad(0), 0, 1);
    float[] residual = store.read(StateRef.next(RUN, 0, 1)).get(SignStep.RESIDUAL);
    float[] g = grad(1);
    g[3] = Float.NaN;
    SignPayload p = SignStep.efStep(store, StateRef.next(RUN, 0, 1), SEG, g, 0, 1);
    assertEquals(1, p.nonFinite());
    assertSame(residual, store.read(StateRef.next(RUN, 0, 2)).get(SignStep.RESIDUAL));
    float[] out = new float[SEG.length()];
    SignAccumulator.forMean(SEG).add(p).meanDecoded(out);
    assertTrue(Float.isNaN(out[0]));

    float[] h = grad(2);
    h[0] = Float.POSITIVE_INFINITY;
    SignPayload vote = SignStep.majorityStep(store, StateRef.next(RUN, 7, 0), h, 0.5, 0, 1);
    assertEquals(1, vote.nonFinite());
    assertNull(store.read(StateRef.next(RUN, 7, 1)).get(SignStep.MOMENTUM));
  }

  @Test
  void toMeanDividesByTheCount() {
    assertArrayEquals(new float[] {1f, -0.5f, (float) (1.0 / 3)},
        SignStep.toMean(new float[] {3f, -1.5f, 1f}, 3), 0f);
    assertThrows(IllegalArgumentException.class, () -> SignStep.toMean(new float[1], 0));
  }

  /**
   * End to end on a quadratic: partition p's loss is {@code 0.5 * |theta - c_p|^2}, so the
   * optimum is the mean of the c_p. EF-signSGD with SGD (lr decaying as 1/t) on the driver
   * gets there.
   */
  @Test
  void efSignSgdConvergesOnAQuadratic() {
    int parts = 4;
    float[][] c = new float[parts][];
    for (int p = 0; p < parts; p++) {
      c[p] = ErrorFeedbackTest.gaussian(new SplittableRandom(40 + p), SEG.length(), 2.0);
    }
    float[] optimum = meanOf(c);
    float[] theta = new float[SEG.length()];
    ExecutorStateStore store = new ExecutorStateStore();
    SignAccumulator acc = SignAccumulator.forMean(SEG);
    float[] d = new float[theta.length];
    for (int t = 0; t < 1000; t++) {
      acc.clear();
      for (int p = 0; p < parts; p++) {
        acc.add(SignStep.efStep(store, StateRef.next("quad", p, t), SEG, minus(theta, c[p]),
            0, 1));
      }
      acc.meanDecoded(d);
      float lr = (float) (0.5 / (1 + t / 10.0));
      for (int i = 0; i < theta.length; i++) {
        theta[i] -= lr * d[i];
      }
    }
    assertTrue(distance(theta, optimum) < 1e-2 * norm(optimum),
        "distance " + distance(theta, optimum) + " of " + norm(optimum));
  }

  /** The same quadratic with 1-bit Adam after the warm-up (v frozen at ones). */
  @Test
  void onebitAdamConvergesOnAQuadratic() {
    int parts = 3;
    float[][] c = new float[parts][];
    for (int p = 0; p < parts; p++) {
      c[p] = ErrorFeedbackTest.gaussian(new SplittableRandom(50 + p), SEG.length(), 2.0);
    }
    float[] optimum = meanOf(c);
    float[] theta = new float[SEG.length()];
    float[] m = new float[theta.length];
    ExecutorStateStore store = new ExecutorStateStore();
    SignAccumulator acc = SignAccumulator.forMean(SEG);
    for (int t = 0; t < 600; t++) {
      acc.clear();
      for (int p = 0; p < parts; p++) {
        StateRef ref = t == 0 ? StateRef.first("adam", p, t) : StateRef.next("adam", p, t);
        acc.add(SignStep.onebitAdamStep(store, ref, SEG, m, minus(theta, c[p]), 0.9, 0, 1));
      }
      float[] mNew = new float[theta.length];
      acc.meanDecoded(mNew);
      m = mNew;
      for (int i = 0; i < theta.length; i++) {
        theta[i] -= 0.05f * m[i] / (1f + 1e-8f);
      }
    }
    assertTrue(distance(theta, optimum) < 1e-2 * norm(optimum),
        "distance " + distance(theta, optimum) + " of " + norm(optimum));
  }

  private static float[] minus(float[] a, float[] b) {
    float[] d = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  private static float[] meanOf(float[][] xs) {
    float[] m = new float[xs[0].length];
    for (float[] x : xs) {
      for (int i = 0; i < m.length; i++) {
        m[i] += x[i] / xs.length;
      }
    }
    return m;
  }

  private static double distance(float[] a, float[] b) {
    return norm(minus(a, b));
  }

  private static double norm(float[] a) {
    double s = 0;
    for (float v : a) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }
}
