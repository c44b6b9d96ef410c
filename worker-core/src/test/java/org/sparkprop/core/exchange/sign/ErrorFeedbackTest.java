package org.sparkprop.core.exchange.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.model.ParamLayout;

/** One compression against hand values, and the error-feedback invariant over many steps. */
class ErrorFeedbackTest {

  @Test
  void oneStepMatchesHandComputedValues() {
    // two tensors: [1, -3] and [0, -0.5, 2]; L1 scales 2 and 2.5/3
    float[] g = {1f, -3f, 0f, -0.5f, 2f};
    float[] e = {0f, 0f, 0.25f, 0f, -0.5f}; // x = [1, -3, 0.25, -0.5, 1.5]
    Segments seg = Segments.ofBounds(0, 2, 5);
    long[] bits = new long[1];
    float[] scales = new float[2];
    float[] eNew = new float[5];
    int bad = ErrorFeedback.compress(g, e, seg, Scale.L1_MEAN, bits, scales, eNew);
    assertEquals(0, bad);
    float s1 = (float) (2.25 / 3);
    assertArrayEquals(new float[] {2f, s1}, scales, 0f);
    assertEquals(0b10101L, bits[0]);
    assertArrayEquals(new float[] {1f - 2f, -3f + 2f, 0.25f - s1, -0.5f + s1, 1.5f - s1}, eNew, 0f);
    assertArrayEquals(new float[] {1f, -3f, 0f, -0.5f, 2f}, g, 0f, "g is not modified");
  }

  @Test
  void transmittedPlusNewResidualIsTheInputToHalfAnUlp() {
    SplittableRandom r = new SplittableRandom(11);
    Segments seg = Segments.of(new ParamLayout(30, 20, 7));
    int n = seg.length();
    float[] g = gaussian(r, n, 1.0);
    float[] e = gaussian(r, n, 0.1);
    long[] bits = new long[SignCodec.words(n)];
    float[] scales = new float[seg.count()];
    float[] eNew = new float[n];
    ErrorFeedback.compress(g, e, seg, Scale.L2_RMS, bits, scales, eNew);
    float[] t = decode(bits, scales, seg);
    for (int i = 0; i < n; i++) {
      float x = g[i] + e[i];
      double err = (double) x - t[i] - eNew[i];
      assertTrue(Math.abs(err) <= 0.5 * Math.ulp(eNew[i]), "entry " + i + ": " + err);
    }
  }

  @Test
  void nothingIsLostOverManySteps() {
    SplittableRandom r = new SplittableRandom(12);
    Segments seg = Segments.of(new ParamLayout(40, 16, 16, 3));
    int n = seg.length();
    double[] sumInputs = new double[n];
    double[] sumTransmitted = new double[n];
    double[] bound = new double[n]; // sum of the half-ulp roundings of the two float operations
    float[] residual = null;
    int steps = 300;
    for (int step = 0; step < steps; step++) {
      double magnitude = Math.exp(r.nextDouble() * 6 - 3); // 0.05 .. 20, varies per step
      float[] g = gaussian(r, n, magnitude);
      for (int i = 0; i < n; i += 17) {
        g[i] = 0f; // some exact zeros: sign(0) = +1 must not break the bookkeeping
      }
      long[] bits = new long[SignCodec.words(n)];
      float[] scales = new float[seg.count()];
      float[] next = new float[n];
      Scale rule = step % 2 == 0 ? Scale.L1_MEAN : Scale.L2_RMS;
      assertEquals(0, ErrorFeedback.compress(g, residual, seg, rule, bits, scales, next));
      float[] t = decode(bits, scales, seg);
      for (int i = 0; i < n; i++) {
        float x = residual == null ? g[i] : g[i] + residual[i];
        bound[i] += 0.5 * Math.ulp(x) + 0.5 * Math.ulp(next[i]);
        sumInputs[i] += g[i];
        sumTransmitted[i] += t[i];
      }
      residual = next;
    }
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double diff = Math.abs(sumInputs[i] - (sumTransmitted[i] + residual[i]));
      assertTrue(diff <= bound[i] + 1e-9, "entry " + i + ": off by " + diff + " > " + bound[i]);
      assertTrue(diff <= 1e-4 * (1 + Math.abs(sumInputs[i])), "entry " + i + ": " + diff);
      worst = Math.max(worst, diff);
    }
    assertTrue(worst < 1e-3, "worst " + worst);
  }

  @Test
  void residualOutMayBeTheInputArray() {
    SplittableRandom r = new SplittableRandom(13);
    Segments seg = Segments.ofBounds(0, 50, 130);
    float[] g = gaussian(r, 130, 1);
    float[] e = gaussian(r, 130, 0.3);
    long[] bits1 = new long[3];
    long[] bits2 = new long[3];
    float[] s1 = new float[2];
    float[] s2 = new float[2];
    float[] out = new float[130];
    ErrorFeedback.compress(g, e, seg, Scale.L1_MEAN, bits1, s1, out);
    float[] inPlace = g.clone();
    ErrorFeedback.compress(inPlace, e, seg, Scale.L1_MEAN, bits2, s2, inPlace);
    assertArrayEquals(bits1, bits2);
    assertArrayEquals(s1, s2, 0f);
    assertArrayEquals(out, inPlace, 0f);
    float[] noResidual = g.clone();
    ErrorFeedback.compress(noResidual, null, seg, Scale.L1_MEAN, bits2, s2, noResidual);
    assertArrayEquals(SignCodec.pack(g), bits2);
  }

  @Test
  void nonFiniteEntriesAreCountedPerAffectedTensor() {
    float[] g = {1f, Float.NaN, 2f, 3f, Float.POSITIVE_INFINITY, 4f};
    Segments seg = Segments.ofBounds(0, 3, 4, 6);
    float[] scales = new float[3];
    int bad = ErrorFeedback.compress(g, null, seg, Scale.L1_MEAN, new long[1], scales,
        new float[6]);
    assertEquals(2, bad);
    assertTrue(Float.isNaN(scales[0]));
    assertEquals(3f, scales[1], 0f);
    assertTrue(Float.isInfinite(scales[2]));
  }

  static float[] gaussian(SplittableRandom r, int n, double sd) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * sd);
    }
    return x;
  }

  static float[] decode(long[] bits, float[] scales, Segments seg) {
    float[] t = new float[seg.length()];
    SignPayload.scaled(seg.length(), bits, scales, 0, 1).addDecodedTo(seg, t);
    return t;
  }
}
