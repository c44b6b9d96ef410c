package org.sparkprop.core.exchange.sign;

import java.io.Serializable;

/**
 * What one task sends back to the driver in sign mode: the signs of one vector packed 64 per
 * {@code long} (see {@link SignCodec} for the bit order), one float scale per tensor (absent for
 * majority vote), the partition's loss sum and example count, and diagnostics: whether the
 * partition's executor state was missing (restarted from zero), how many entries of the
 * compressed vector were NaN or infinite, and the task's compute time.
 *
 * <p>Payloads are not merged with each other: the driver decodes them into a {@link
 * SignAccumulator} in partition-index order. A payload without signs ({@link #hasSigns()} false)
 * is an abstention: the partition had no examples this step; it still carries its diagnostics.
 *
 * <p>Ownership of the arrays passes to the payload; nobody mutates them afterwards.
 */
public final class SignPayload implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final float[] NO_SCALES = new float[0];

  private int length; // number of signed entries; 0 for an abstention
  private long[] bits; // SignCodec.words(length) words; null for an abstention
  private float[] scales; // one per tensor, or empty for a vote-only payload
  private double lossSum;
  private long count;
  private int missingState; // 1 if this partition's state was missing and restarted from zero
  private int nonFinite; // NaN or infinite entries of the compressed vector
  private long computeNanos; // diagnostics only

  private SignPayload(int length, long[] bits, float[] scales, double lossSum, long count) {
    this.length = length;
    this.bits = bits;
    this.scales = scales;
    this.lossSum = lossSum;
    this.count = count;
  }

  /**
   * A scaled payload (EF-signSGD, 1-bit Adam, 1-bit RMSprop): entry i decodes to {@code
   * scales[k] * sign_i} for i in tensor k.
   *
   * @param length number of entries (the flat vector's length)
   * @param bits the packed signs, exactly {@code SignCodec.words(length)} words, padding bits 0
   * @param scales one scale per tensor, at least one
   * @param lossSum sum of per-example losses of this partition's batch
   * @param count examples in the batch, at least 1
   * @throws IllegalArgumentException if the arrays do not fit {@code length} or count is not
   *     positive
   */
  public static SignPayload scaled(
      int length, long[] bits, float[] scales, double lossSum, long count) {
    if (scales == null || scales.length == 0) {
      throw new IllegalArgumentException("a scaled payload needs at least one scale");
    }
    return checked(length, bits, scales, lossSum, count);
  }

  /**
   * A vote-only payload (signSGD with majority vote): signs without scales.
   *
   * @throws IllegalArgumentException as {@link #scaled}
   */
  public static SignPayload votes(int length, long[] bits, double lossSum, long count) {
    return checked(length, bits, NO_SCALES, lossSum, count);
  }

  /** An abstention: no signs, no examples (the partition's batch was empty this step). */
  public static SignPayload abstain() {
    return new SignPayload(0, null, NO_SCALES, 0.0, 0L);
  }

  private static SignPayload checked(
      int length, long[] bits, float[] scales, double lossSum, long count) {
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive, got " + length);
    }
    if (bits == null || !SignCodec.isMasked(bits, length)) {
      throw new IllegalArgumentException("bits must be " + SignCodec.words(length)
          + " words with zero padding for " + length + " entries"
          + (bits == null ? ", got null" : ", got " + bits.length + " words"));
    }
    if (count <= 0) {
      throw new IllegalArgumentException(
          "count must be positive for a payload with signs, got " + count + " (use abstain())");
    }
    return new SignPayload(length, bits, scales, lossSum, count);
  }

  /** Marks that this partition's state was missing and restarted from zero; returns this. */
  public SignPayload withMissingState(boolean missing) {
    this.missingState = missing ? 1 : 0;
    return this;
  }

  /** Records the number of NaN or infinite entries of the compressed vector; returns this. */
  public SignPayload withNonFinite(int entries) {
    if (entries < 0) {
      throw new IllegalArgumentException("entries must be >= 0, got " + entries);
    }
    this.nonFinite = entries;
    return this;
  }

  /** Records how long the task computed, in nanoseconds; returns this. */
  public SignPayload withComputeNanos(long nanos) {
    this.computeNanos = nanos;
    return this;
  }

  /** False for an abstention. */
  public boolean hasSigns() {
    return bits != null;
  }

  /** True when the payload carries per-tensor scales (false for votes and abstentions). */
  public boolean hasScales() {
    return scales.length > 0;
  }

  /** Number of signed entries (0 for an abstention). */
  public int length() {
    return length;
  }

  /** The packed signs (live, do not modify); null for an abstention. */
  public long[] bits() {
    return bits;
  }

  /** The per-tensor scales (live, do not modify); empty for votes and abstentions. */
  public float[] scales() {
    return scales;
  }

  /** Sum of per-example losses. */
  public double lossSum() {
    return lossSum;
  }

  /** Number of examples. */
  public long count() {
    return count;
  }

  /** True when this partition's executor state was missing and restarted from zero. */
  public boolean missingState() {
    return missingState != 0;
  }

  /** NaN or infinite entries of the compressed vector (0 normally). */
  public int nonFinite() {
    return nonFinite;
  }

  /** The task's compute time in nanoseconds (0 if not recorded). */
  public long computeNanos() {
    return computeNanos;
  }

  /**
   * Adds this payload's decoded values {@code scale_k * sign_i} into {@code out} (indexed like
   * the flat vector).
   *
   * @throws IllegalStateException if the payload has no signs or no scales
   * @throws IllegalArgumentException if the segments or out do not fit
   */
  public void addDecodedTo(Segments segments, float[] out) {
    if (!hasSigns() || !hasScales()) {
      throw new IllegalStateException("cannot decode a payload without "
          + (hasSigns() ? "scales (a vote-only payload)" : "signs (an abstention)"));
    }
    if (segments.length() != length || segments.count() != scales.length
        || out.length != length) {
      throw new IllegalArgumentException("payload of " + length + " entries and " + scales.length
          + " scales does not fit " + segments + " and out of " + out.length);
    }
    for (int k = 0; k < scales.length; k++) {
      int from = segments.start(k);
      SignCodec.addDecoded(bits, from, scales[k], out, from, segments.size(k));
    }
  }

  @Override
  public String toString() {
    String what = hasSigns() ? length + " signs, " + scales.length + " scales" : "abstain";
    return "SignPayload[" + what
        + ", count " + count + (missingState() ? ", state missing" : "")
        + (nonFinite > 0 ? ", " + nonFinite + " non-finite" : "") + "]";
  }
}
