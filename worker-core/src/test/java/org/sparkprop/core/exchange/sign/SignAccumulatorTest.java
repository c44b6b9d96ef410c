package org.sparkprop.core.exchange.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.model.ParamLayout;

/** The driver side: decoding payloads in order, means, majority votes with ties, totals. */
class SignAccumulatorTest {

  private static SignPayload scaled(float[] x, Segments seg, double loss, long count) {
    float[] scales = new float[seg.count()];
    Scale.L1_MEAN.perTensor(x, seg, scales);
    return SignPayload.scaled(x.length, SignCodec.pack(x), scales, loss, count);
  }

  private static SignPayload votes(float... x) {
    return SignPayload.votes(x.length, SignCodec.pack(x), 1.0, 1);
  }

  @Test
  void decodeOfOnePayloadIsScaleTimesSignExactly() {
    SplittableRandom r = new SplittableRandom(21);
    Segments seg = Segments.of(new ParamLayout(9, 7, 3)); // tensor bounds not word-aligned
    int n = seg.length();
    float[] x = ErrorFeedbackTest.gaussian(r, n, 1.7);
    x[5] = 0f;
    SignPayload p = scaled(x, seg, 3.0, 4);
    float[] mean = new float[n];
    SignAccumulator.forMean(seg).add(p).meanDecoded(mean);
    for (int k = 0; k < seg.count(); k++) {
      for (int i = seg.start(k); i < seg.end(k); i++) {
        float expected = x[i] >= 0f ? p.scales()[k] : -p.scales()[k];
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(mean[i]),
            "entry " + i);
      }
    }
    assertTrue(mean[5] > 0, "sign(0) = +1");
  }

  @Test
  void meanOverPartitionsMatchesHandComputedValues() {
    Segments seg = Segments.ofBounds(0, 2, 3);
    SignAccumulator acc = SignAccumulator.forMean(seg);
    acc.add(scaled(new float[] {1f, -3f, 4f}, seg, 1.0, 2)); // scales 2, 4: [2, -2, 4]
    acc.add(SignPayload.abstain().withMissingState(true)); // empty batch: not a partition
    acc.add(scaled(new float[] {-1f, -1f, -2f}, seg, 2.0, 3)); // scales 1, 2: [-1, -1, -2]
    acc.add(scaled(new float[] {0f, 2f, 0f}, seg, 3.0, 5)); // scales 1, 0: [1, 1, 0]
    float[] mean = new float[3];
    acc.meanDecoded(mean);
    assertArrayEquals(new float[] {2f / 3f, -2f / 3f, 2f / 3f}, mean, 0f);
    assertEquals(3, acc.partitions());
    assertEquals(4, acc.payloads());
    assertEquals(10, acc.count());
    assertEquals(6.0, acc.lossSum(), 0);
    assertEquals(0.6, acc.meanLoss(), 1e-15);
    assertEquals(1, acc.missingStates());
    assertEquals(0, acc.nonFinite());
  }

  /** A reduction tree's groups: the same totals as adding every payload on the driver. */
  @Test
  void groupsAddUpToTheTotalsOfTheirPayloads() {
    Segments seg = Segments.ofBounds(0, 2, 3);
    SignAccumulator first = SignAccumulator.forMean(seg)
        .add(scaled(new float[] {1f, -3f, 4f}, seg, 1.0, 2)) // [2, -2, 4]
        .add(SignPayload.abstain().withMissingState(true));
    SignAccumulator second = SignAccumulator.forMean(seg)
        .add(scaled(new float[] {-1f, -1f, -2f}, seg, 2.0, 3)) // [-1, -1, -2]
        .add(scaled(new float[] {0f, 2f, 0f}, seg, 3.0, 5)); // [1, 1, 0]
    SignAccumulator all = SignAccumulator.forMean(seg).addAll(first).addAll(second);
    float[] mean = new float[3];
    all.meanDecoded(mean);
    assertArrayEquals(new float[] {2f / 3f, -2f / 3f, 2f / 3f}, mean, 0f);
    assertEquals(3, all.partitions());
    assertEquals(4, all.payloads());
    assertEquals(10, all.count());
    assertEquals(6.0, all.lossSum(), 0);
    assertEquals(1, all.missingStates());

    SignAccumulator a = SignAccumulator.forVotes(4)
        .add(votes(1f, -1f, 0f, -2f)).add(votes(1f, 1f, -1f, -2f));
    SignAccumulator b = SignAccumulator.forVotes(4).add(votes(-1f, -1f, -1f, 3f));
    SignAccumulator votes = SignAccumulator.forVotes(4).addAll(a).addAll(b);
    assertArrayEquals(new int[] {1, -1, -1, -1}, votes.votes());
    assertEquals(3, votes.partitions());

    assertThrows(IllegalArgumentException.class, () -> votes.addAll(first), "kinds differ");
    assertThrows(IllegalArgumentException.class,
        () -> SignAccumulator.forMean(Segments.ofBounds(0, 1, 3)).addAll(first),
        "tensors differ");
    assertThrows(IllegalArgumentException.class,
        () -> SignAccumulator.forVotes(5).addAll(a), "lengths differ");
  }

  @Test
  void majorityOfThreePartitions() {
    SignAccumulator acc = SignAccumulator.forVotes(4);
    acc.add(votes(1f, -1f, 0f, -2f)).add(votes(1f, 1f, -1f, -2f)).add(votes(-1f, -1f, -1f, 3f));
    float[] out = new float[4];
    acc.majoritySign(out);
    assertArrayEquals(new float[] {1f, -1f, -1f, -1f}, out, 0f);
    assertArrayEquals(new int[] {1, -1, -1, -1}, acc.votes());
  }

  @Test
  void majorityTiesGiveZero() {
    // four partitions, 2-2 ties in entries 1 and 3
    SignAccumulator four = SignAccumulator.forVotes(4);
    four.add(votes(1f, 1f, 1f, -1f)).add(votes(1f, 1f, 1f, 1f))
        .add(votes(1f, -1f, -1f, -1f)).add(votes(1f, -1f, 1f, 1f));
    float[] out = new float[4];
    four.majoritySign(out);
    assertArrayEquals(new float[] {1f, 0f, 1f, 0f}, out, 0f);

    // three partitions of which one abstains: two voters, ties where they disagree
    SignAccumulator three = SignAccumulator.forVotes(3);
    three.add(votes(1f, -1f, 0f)).add(SignPayload.abstain()).add(votes(-1f, -1f, 5f));
    three.majoritySign(out = new float[3]);
    assertArrayEquals(new float[] {0f, -1f, 1f}, out, 0f);
    assertEquals(2, three.partitions());
  }

  @Test
  void votesIgnoreScales() {
    Segments seg = Segments.single(2);
    SignAccumulator acc = SignAccumulator.forVotes(2).add(scaled(new float[] {5f, -7f}, seg, 0, 1));
    float[] out = new float[2];
    acc.majoritySign(out);
    assertArrayEquals(new float[] {1f, -1f}, out, 0f);
  }

  @Test
  void emptyAccumulatorsFailLoudly() {
    SignAccumulator mean = SignAccumulator.forMean(Segments.single(3)).add(SignPayload.abstain());
    assertThrows(IllegalStateException.class, () -> mean.meanDecoded(new float[3]));
    SignAccumulator vote = SignAccumulator.forVotes(3);
    assertThrows(IllegalStateException.class, () -> vote.majoritySign(new float[3]));
    assertThrows(IllegalStateException.class, vote::meanLoss);
    assertThrows(IllegalStateException.class, () -> vote.meanDecoded(new float[3]));
    assertThrows(IllegalStateException.class, () -> mean.majoritySign(new float[3]));
  }

  @Test
  void mismatchedPayloadsAreRejected() {
    Segments seg = Segments.ofBounds(0, 2, 4);
    SignAccumulator acc = SignAccumulator.forMean(seg);
    assertThrows(IllegalArgumentException.class, () -> acc.add(votes(1f, 1f, 1f, 1f)));
    assertThrows(IllegalArgumentException.class,
        () -> acc.add(scaled(new float[4], Segments.single(4), 0, 1)));
    assertThrows(IllegalArgumentException.class,
        () -> acc.add(scaled(new float[5], Segments.ofBounds(0, 2, 5), 0, 1)));
    assertThrows(IllegalArgumentException.class,
        () -> SignPayload.votes(65, new long[] {0L, 2L}, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> SignPayload.votes(65, new long[] {0L}, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> SignPayload.votes(3, new long[] {0L}, 0, 0));
  }

  @Test
  void nonFiniteEntriesTurnTheOutputIntoNaN() {
    Segments seg = Segments.single(3);
    SignAccumulator acc = SignAccumulator.forMean(seg)
        .add(scaled(new float[] {1f, 2f, 3f}, seg, 0, 1))
        .add(scaled(new float[] {1f, Float.NaN, 3f}, seg, 0, 1).withNonFinite(1));
    float[] out = new float[3];
    acc.meanDecoded(out);
    for (float v : out) {
      assertTrue(Float.isNaN(v));
    }
    assertEquals(1, acc.nonFinite());
    SignAccumulator vote = SignAccumulator.forVotes(3).add(votes(1f, 1f, 1f).withNonFinite(2));
    vote.majoritySign(out);
    assertTrue(Float.isNaN(out[0]));
  }

  @Test
  void clearForgetsEverything() {
    Segments seg = Segments.single(2);
    SignAccumulator acc = SignAccumulator.forMean(seg)
        .add(scaled(new float[] {1f, -1f}, seg, 1, 1).withComputeNanos(50).withNonFinite(1));
    assertEquals(50, acc.computeNanos());
    acc.clear().add(scaled(new float[] {2f, 2f}, seg, 1, 1).withComputeNanos(7));
    float[] out = new float[2];
    acc.meanDecoded(out);
    assertArrayEquals(new float[] {2f, 2f}, out, 0f);
    assertEquals(1, acc.payloads());
    assertEquals(7, acc.computeNanos());
    assertFalse(Float.isNaN(out[0]));
  }
}
