package org.sparkprop.core.exchange.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packing, unpacking, decoding and voting: bit order, sign(0) = +1, padding, offsets. */
class SignCodecTest {

  /** Random values with about 5% exact zeros of both signs. */
  static float[] randomWithZeros(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      x[i] = u < 0.025 ? 0f : u < 0.05 ? -0f : (float) r.nextGaussian();
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 63, 64, 65, 127, 128, 129, 1_000_003})
  void packUnpackRoundTripAtAwkwardLengths(int n) {
    float[] x = randomWithZeros(new SplittableRandom(n), n);
    long[] bits = SignCodec.pack(x);
    assertEquals((n + 63) / 64, bits.length);
    assertTrue(SignCodec.isMasked(bits, n));
    float[] signs = new float[n];
    SignCodec.unpack(bits, 0, signs, 0, n);
    for (int i = 0; i < n; i++) {
      float expected = x[i] >= 0f ? 1f : -1f;
      assertEquals(expected, signs[i], "entry " + i);
      assertEquals(x[i] >= 0f, SignCodec.isPositive(bits, i), "entry " + i);
      assertEquals(x[i] >= 0f, ((bits[i >>> 6] >>> (i & 63)) & 1) == 1, "bit order at " + i);
    }
  }

  @Test
  void signOfZeroIsPlusOne() {
    float[] x = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f, Float.MAX_VALUE,
        Float.NEGATIVE_INFINITY};
    long[] bits = SignCodec.pack(x);
    assertEquals(0b01010111L, bits[0]);
    float[] signs = new float[x.length];
    SignCodec.unpack(bits, 0, signs, 0, x.length);
    assertArrayEquals(new float[] {1, 1, 1, -1, 1, -1, 1, -1}, signs);
  }

  @Test
  void paddingBitsAreMasked() {
    float[] x = new float[65];
    Arrays.fill(x, 2f); // every sign +1: a careless packer would set padding bits too
    long[] bits = SignCodec.pack(x);
    assertEquals(2, bits.length);
    assertEquals(-1L, bits[0]);
    assertEquals(1L, bits[1], "bits 1..63 of the second word are padding and must be 0");

    long[] dirty = {7L, -1L, -1L};
    SignCodec.pack(x, 0, 65, dirty);
    assertEquals(1L, dirty[1], "packing into a used array clears the padding");
    assertEquals(-1L, dirty[2], "words past words(length) are not touched");
    assertFalse(SignCodec.isMasked(new long[] {-1L, 3L}, 65));
    assertFalse(SignCodec.isMasked(new long[] {-1L}, 65));
    assertTrue(SignCodec.isMasked(new long[] {-1L}, 64));
  }

  @Test
  void packsASubrangeFromItsStart() {
    float[] x = randomWithZeros(new SplittableRandom(3), 300);
    long[] part = SignCodec.pack(x, 37, 200);
    for (int k = 0; k < 200; k++) {
      assertEquals(x[37 + k] >= 0f, SignCodec.isPositive(part, k));
    }
    assertTrue(SignCodec.isMasked(part, 200));
  }

  @Test
  void samePackedBitsForSameInput() {
    float[] x = randomWithZeros(new SplittableRandom(4), 10_007);
    assertArrayEquals(SignCodec.pack(x), SignCodec.pack(x.clone()));
  }

  @Test
  void addDecodedAddsExactlyPlusOrMinusScaleAtUnalignedOffsets() {
    SplittableRandom r = new SplittableRandom(5);
    float[] x = randomWithZeros(r, 400);
    long[] bits = SignCodec.pack(x);
    float scale = 0.3f; // not a power of two
    float[] out = new float[450];
    float[] before = new float[450];
    for (int i = 0; i < out.length; i++) {
      out[i] = before[i] = (float) r.nextGaussian();
    }
    int bitFrom = 3;
    int outFrom = 41;
    int length = 333;
    SignCodec.addDecoded(bits, bitFrom, scale, out, outFrom, length);
    for (int i = 0; i < out.length; i++) {
      int k = i - outFrom;
      float expected = k >= 0 && k < length
          ? before[i] + (x[bitFrom + k] >= 0f ? scale : -scale)
          : before[i];
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[i]), "at " + i);
    }
  }

  @Test
  void addVotesCountsPlusAndMinusOnes() {
    float[] x = randomWithZeros(new SplittableRandom(6), 200);
    long[] bits = SignCodec.pack(x);
    int[] votes = new int[210];
    votes[0] = 5;
    SignCodec.addVotes(bits, 10, votes, 1, 150);
    SignCodec.addVotes(bits, 10, votes, 1, 150);
    assertEquals(5, votes[0]);
    for (int k = 0; k < 150; k++) {
      assertEquals(x[10 + k] >= 0f ? 2 : -2, votes[1 + k], "at " + k);
    }
    assertEquals(0, votes[151]);
  }

  @Test
  void majorityIsTheSignOfTheVotesWithTiesAtZero() {
    float[] out = new float[4];
    SignCodec.majority(new int[] {3, -1, 0, 2}, out);
    assertArrayEquals(new float[] {1f, -1f, 0f, 1f}, out);
  }

  @Test
  void rangesOutsideTheArraysAreRejected() {
    long[] bits = new long[2];
    assertThrows(IllegalArgumentException.class,
        () -> SignCodec.addDecoded(bits, 100, 1f, new float[50], 0, 50));
    assertThrows(IllegalArgumentException.class,
        () -> SignCodec.addDecoded(bits, 0, 1f, new float[50], 10, 50));
    assertThrows(IllegalArgumentException.class,
        () -> SignCodec.addVotes(bits, -1, new int[5], 0, 5));
    assertThrows(IllegalArgumentException.class,
        () -> SignCodec.pack(new float[70], 0, 70, new long[1]));
    assertThrows(IllegalArgumentException.class, () -> SignCodec.pack(new float[10], 5, 6));
    assertThrows(IllegalArgumentException.class, () -> SignCodec.words(-1));
  }
}
