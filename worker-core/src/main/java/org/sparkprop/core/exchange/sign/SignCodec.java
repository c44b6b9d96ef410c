package org.sparkprop.core.exchange.sign;

import java.util.Arrays;

/**
 * Packs signs 64 per {@code long} and decodes them into dense accumulators.
 *
 * <p>Convention: element {@code k} of a packed vector is bit {@code k & 63} (bit 0 = least
 * significant) of word {@code k >>> 6}; bit 1 means {@code x >= 0f} (sign +1, so sign(0) = +1
 * for both zeros), bit 0 means {@code x < 0f} (sign -1). A NaN packs to a deterministic but
 * unspecified bit. The padding bits past the last element are always written as 0 and never
 * read.
 *
 * <p>All loops work a word at a time and allocate nothing (except {@link #pack(float[], int,
 * int)}, which returns a new array). Decoding adds {@code +scale} or {@code -scale} exactly:
 * {@code -scale} is {@code scale} with its sign bit flipped, so a decoded value is bit for bit
 * what the sender subtracted from its residual.
 */
public final class SignCodec {
  private SignCodec() {}

  /** Number of {@code long} words that hold {@code length} signs: {@code ceil(length / 64)}. */
  public static int words(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    return (length + 63) >>> 6;
  }

  /** Packs the signs of all of {@code x} into a new array of {@link #words}{@code (x.length)}. */
  public static long[] pack(float[] x) {
    return pack(x, 0, x.length);
  }

  /**
   * Packs the signs of {@code x[from .. from + length)} into a new array: {@code x[from + k]} is
   * element k.
   */
  public static long[] pack(float[] x, int from, int length) {
    long[] bits = new long[words(length)];
    pack(x, from, length, bits);
    return bits;
  }

  /**
   * Packs the signs of {@code x[from .. from + length)} into {@code bits[0 .. words(length))},
   * overwriting those words entirely (padding bits become 0).
   *
   * @throws IllegalArgumentException if the range is outside {@code x} or {@code bits} is too
   *     short
   */
  public static void pack(float[] x, int from, int length, long[] bits) {
    checkRange("x", x.length, from, length);
    int words = words(length);
    if (bits.length < words) {
      throw new IllegalArgumentException(
          "bits has " + bits.length + " words, " + length + " signs need " + words);
    }
    int full = length >>> 6;
    for (int w = 0; w < full; w++) {
      int i = from + (w << 6);
      // four independent OR chains, so consecutive elements do not wait on one another
      long w0 = 0;
      long w1 = 0;
      long w2 = 0;
      long w3 = 0;
      for (int j = 0; j < 64; j += 4) {
        w0 |= (x[i + j] >= 0f ? 1L : 0L) << j;
        w1 |= (x[i + j + 1] >= 0f ? 1L : 0L) << (j + 1);
        w2 |= (x[i + j + 2] >= 0f ? 1L : 0L) << (j + 2);
        w3 |= (x[i + j + 3] >= 0f ? 1L : 0L) << (j + 3);
      }
      bits[w] = w0 | w1 | w2 | w3;
    }
    int i = from + (full << 6);
    int rest = length & 63;
    if (rest != 0) {
      long word = 0;
      for (int j = 0; j < rest; j++, i++) {
        word |= (x[i] >= 0f ? 1L : 0L) << j;
      }
      bits[full] = word;
    }
  }

  /** True when element {@code k} of {@code bits} is +1. */
  public static boolean isPositive(long[] bits, int k) {
    return ((bits[k >>> 6] >>> (k & 63)) & 1L) != 0;
  }

  /**
   * Unpacks signs to {@code out[outFrom + k] = bit ? +1f : -1f} for {@code k < length}, reading
   * elements {@code bitFrom} to {@code bitFrom + length - 1} of {@code bits}.
   */
  public static void unpack(long[] bits, int bitFrom, float[] out, int outFrom, int length) {
    checkRange("out", out.length, outFrom, length);
    Arrays.fill(out, outFrom, outFrom + length, 0f);
    addDecoded(bits, bitFrom, 1f, out, outFrom, length);
  }

  /**
   * Adds {@code scale * sign} to an accumulator: {@code out[outFrom + k] += bit ? scale : -scale}
   * for element {@code bitFrom + k} of {@code bits}, {@code k < length}.
   *
   * @throws IllegalArgumentException if a range is outside its array
   */
  public static void addDecoded(
      long[] bits, int bitFrom, float scale, float[] out, int outFrom, int length) {
    checkRange("out", out.length, outFrom, length);
    checkBits(bits, bitFrom, length);
    int scaleBits = Float.floatToRawIntBits(scale);
    int done = 0;
    while (done < length) {
      int b = bitFrom + done;
      int shift = b & 63;
      int chunk = Math.min(64 - shift, length - done);
      long word = bits[b >>> 6] >>> shift;
      int o = outFrom + done;
      for (int j = 0; j < chunk; j++) {
        // bit 1 -> +scale; bit 0 -> scale with the sign bit flipped, i.e. exactly -scale
        out[o + j] += Float.intBitsToFloat(scaleBits ^ ((~(int) (word >>> j) & 1) << 31));
      }
      done += chunk;
    }
  }

  /**
   * Adds one vote per element: {@code votes[outFrom + k] += bit ? +1 : -1} for element {@code
   * bitFrom + k} of {@code bits}, {@code k < length}.
   *
   * @throws IllegalArgumentException if a range is outside its array
   */
  public static void addVotes(long[] bits, int bitFrom, int[] votes, int outFrom, int length) {
    checkRange("votes", votes.length, outFrom, length);
    checkBits(bits, bitFrom, length);
    int done = 0;
    while (done < length) {
      int b = bitFrom + done;
      int shift = b & 63;
      int chunk = Math.min(64 - shift, length - done);
      long word = bits[b >>> 6] >>> shift;
      int o = outFrom + done;
      for (int j = 0; j < chunk; j++) {
        votes[o + j] += (((int) (word >>> j) & 1) << 1) - 1;
      }
      done += chunk;
    }
  }

  /**
   * The majority of the votes: {@code out[i] = signum(votes[i])} as {@code +1f}, {@code -1f}, or
   * {@code 0f} for a tie.
   */
  public static void majority(int[] votes, float[] out) {
    if (votes.length != out.length) {
      throw new IllegalArgumentException(
          "votes has " + votes.length + " entries, out has " + out.length);
    }
    for (int i = 0; i < votes.length; i++) {
      out[i] = Integer.signum(votes[i]);
    }
  }

  /**
   * True when every bit of {@code bits} past element {@code length - 1} is 0 and the array has
   * exactly {@link #words}{@code (length)} words.
   */
  public static boolean isMasked(long[] bits, int length) {
    if (bits.length != words(length)) {
      return false;
    }
    int rest = length & 63;
    return rest == 0 || (bits[bits.length - 1] >>> rest) == 0;
  }

  private static void checkBits(long[] bits, int bitFrom, int length) {
    if (bitFrom < 0 || length < 0 || (long) bitFrom + length > 64L * bits.length) {
      throw new IllegalArgumentException("elements [" + bitFrom + ", " + ((long) bitFrom + length)
          + ") are outside " + bits.length + " packed words");
    }
  }

  private static void checkRange(String name, int arrayLength, int from, int length) {
    if (from < 0 || length < 0 || (long) from + length > arrayLength) {
      throw new IllegalArgumentException("range [" + from + ", " + ((long) from + length)
          + ") is outside " + name + " of " + arrayLength + " entries");
    }
  }
}
