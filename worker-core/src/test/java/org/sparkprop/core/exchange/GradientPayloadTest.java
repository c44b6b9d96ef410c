package org.sparkprop.core.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The merge algebra of payloads: identity, associativity (up to rounding), loud empties. */
class GradientPayloadTest {
  private static GradientPayload random(SplittableRandom r, int n, long count) {
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return GradientPayload.of(g, r.nextDouble(), count);
  }

  private static GradientPayload copy(GradientPayload p) {
    return GradientPayload.of(p.gradientSum().clone(), p.lossSum(), p.count());
  }

  @Test
  void emptyIsTheIdentityOnBothSides() {
    GradientPayload p = random(new SplittableRandom(1), 5, 3);
    GradientPayload left = GradientPayload.empty().merge(copy(p));
    GradientPayload right = copy(p).merge(GradientPayload.empty());
    for (GradientPayload q : new GradientPayload[] {left, right}) {
      assertArrayEquals(p.gradientSum(), q.gradientSum());
      assertEquals(p.lossSum(), q.lossSum());
      assertEquals(p.count(), q.count());
    }
    assertTrue(GradientPayload.empty().merge(GradientPayload.empty()).isEmpty());
  }

  @Test
  void mergeIsAssociativeUpToFloatRounding() {
    SplittableRandom r = new SplittableRandom(2);
    GradientPayload a = random(r, 1000, 4);
    GradientPayload b = random(r, 1000, 5);
    GradientPayload c = random(r, 1000, 6);
    GradientPayload ab_c = copy(a).merge(copy(b)).merge(copy(c));
    GradientPayload a_bc = copy(a).merge(copy(b).merge(copy(c)));
    assertEquals(15, ab_c.count());
    assertEquals(ab_c.lossSum(), a_bc.lossSum(), 1e-12);
    for (int i = 0; i < 1000; i++) {
      assertEquals(ab_c.gradientSum()[i], a_bc.gradientSum()[i], 1e-6f);
    }
  }

  @Test
  void meanDividesByTheExampleCount() {
    GradientPayload p = GradientPayload.of(new float[] {2f, -4f, 6f}, 9.0, 2)
        .merge(GradientPayload.of(new float[] {1f, 1f, 1f}, 3.0, 1));
    float[] mean = new float[3];
    p.meanGradient(mean);
    assertArrayEquals(new float[] {1f, -1f, 7f / 3f}, mean, 0f);
    assertEquals(4.0, p.meanLoss(), 1e-12);
  }

  @Test
  void aMeanOfNothingFailsLoudly() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GradientPayload.empty().meanGradient(new float[3]));
    assertTrue(e.getMessage().contains("no examples"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> GradientPayload.empty().meanLoss());
  }

  @Test
  void mismatchedLengthsAreRejected() {
    GradientPayload a = GradientPayload.of(new float[3], 0, 1);
    GradientPayload b = GradientPayload.of(new float[4], 0, 1);
    assertThrows(IllegalArgumentException.class, () -> a.merge(b));
  }

  @Test
  void computeTimeMergesAsTheSlowest() {
    GradientPayload a = GradientPayload.of(new float[1], 0, 1).withComputeNanos(5);
    GradientPayload b = GradientPayload.of(new float[1], 0, 1).withComputeNanos(9);
    assertEquals(9, a.merge(b).computeNanos());
  }

  @Test
  void floatDivisionGivesTheCorrectlyRoundedQuotient() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    float[] sum = new float[20_000];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-20, 20)));
    }
    float[] out = new float[sum.length];
    for (long count : new long[] {1, 3, 7, 128, 255, 256, 4999, 65_537, 1 << 24}) {
      GradientPayload.divide(sum, count, out);
      for (int i = 0; i < sum.length; i++) {
        assertEquals(Float.floatToIntBits((float) (sum[i] / (double) count)),
            Float.floatToIntBits(out[i]), "count " + count + " index " + i);
      }
    }
  }
}
