package org.sparkprop.core.exchange.sign;

import java.util.Arrays;

/**
 * The driver's dense accumulator of one step's sign payloads: either the sum of decoded values
 * {@code s * sign} ({@link #forMean}: EF-signSGD, 1-bit Adam, 1-bit RMSprop) or per-entry vote
 * counts ({@link #forVotes}: signSGD with majority vote), plus the loss, example, missing-state
 * and non-finite totals. Add the payloads in partition-index order so the float sums are the
 * same in every run. Not thread-safe (the ordered reducer calls it under its own lock).
 *
 * <p>Abstentions (payloads without signs) add their diagnostics but do not count as partitions:
 * means and votes are over {@link #partitions()}, the payloads that carried signs.
 *
 * <p>If any added payload reported NaN or infinite entries, {@link #meanDecoded} and {@link
 * #majoritySign} fill their whole output with NaN, so that a downstream non-finite check (the
 * driver's guarded optimizer) rejects the step; {@link #nonFinite()} has the real count.
 */
public final class SignAccumulator {
  private final int length;
  private final Segments segments; // null for votes
  private final float[] sum; // null for votes
  private final int[] votes; // null for means

  private int partitions;
  private int payloads;
  private double lossSum;
  private long count;
  private int missingStates;
  private long nonFinite;
  private long computeNanos;

  private SignAccumulator(Segments segments, int length) {
    this.length = length;
    this.segments = segments;
    this.sum = segments != null ? new float[length] : null;
    this.votes = segments == null ? new int[length] : null;
  }

  /** An accumulator of decoded {@code scale * sign} values over the tensors of {@code segments}. */
  public static SignAccumulator forMean(Segments segments) {
    return new SignAccumulator(segments, segments.length());
  }

  /** An accumulator of majority votes over {@code length} entries (scales are ignored). */
  public static SignAccumulator forVotes(int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive, got " + length);
    }
    return new SignAccumulator(null, length);
  }

  /**
   * Decodes {@code p} into this accumulator (in place) and returns this.
   *
   * @throws IllegalArgumentException if the payload has a different length, or has no scales
   *     (or scales for other tensors) while this accumulates means
   */
  public SignAccumulator add(SignPayload p) {
    if (p.hasSigns()) {
      if (p.length() != length) {
        throw new IllegalArgumentException(
            "payload has " + p.length() + " entries, the accumulator " + length);
      }
      if (sum != null) {
        p.addDecodedTo(checkedSegments(p), sum);
      } else {
        SignCodec.addVotes(p.bits(), 0, votes, 0, length);
      }
      partitions++;
    }
    payloads++;
    lossSum += p.lossSum();
    count += p.count();
    missingStates += p.missingState() ? 1 : 0;
    nonFinite += p.nonFinite();
    computeNanos = Math.max(computeNanos, p.computeNanos());
    return this;
  }

  /**
   * Adds the totals of {@code part}, an accumulator of the same kind that took the payloads of
   * a group of partitions in their order, and returns this. Votes add up to the same counts as
   * adding the payloads one by one; decoded values are added group sum by group sum, another
   * order of float additions than payload by payload.
   *
   * @throws IllegalArgumentException if {@code part} accumulates the other kind, another length
   *     or other tensors
   */
  public SignAccumulator addAll(SignAccumulator part) {
    if ((sum == null) != (part.sum == null) || part.length != length
        || (segments != null && !segments.equals(part.segments))) {
      throw new IllegalArgumentException("cannot add a " + part.describe() + " to a "
          + describe());
    }
    if (sum != null) {
      float[] other = part.sum;
      for (int i = 0; i < length; i++) {
        sum[i] += other[i];
      }
    } else {
      int[] other = part.votes;
      for (int i = 0; i < length; i++) {
        votes[i] += other[i];
      }
    }
    partitions += part.partitions;
    payloads += part.payloads;
    lossSum += part.lossSum;
    count += part.count;
    missingStates += part.missingStates;
    nonFinite += part.nonFinite;
    computeNanos = Math.max(computeNanos, part.computeNanos);
    return this;
  }

  /** The tensors of a mean accumulator; null for a vote accumulator. */
  public Segments segments() {
    return segments;
  }

  private String describe() {
    return (sum != null ? "mean accumulator over " + segments : "vote accumulator") + " of "
        + length + " entries";
  }

  private Segments checkedSegments(SignPayload p) {
    if (!p.hasScales()) {
      throw new IllegalArgumentException(
          "a vote-only payload cannot be averaged: it has no scales (use forVotes)");
    }
    if (p.scales().length != segments.count()) {
      throw new IllegalArgumentException("payload has " + p.scales().length
          + " scales, the accumulator's " + segments + " has " + segments.count() + " tensors");
    }
    return segments;
  }

  /**
   * Writes the mean over partitions of the decoded values, {@code sum_p(s_p * sign_p) / P}, into
   * {@code out} (each entry the correctly rounded quotient of the float sum).
   *
   * @throws IllegalStateException if this accumulates votes, or no payload carried signs
   */
  public void meanDecoded(float[] out) {
    if (sum == null) {
      throw new IllegalStateException("a vote accumulator has no decoded mean; use majoritySign");
    }
    requireSigns(out, "a mean decoded vector");
    if (nonFinite > 0) {
      Arrays.fill(out, Float.NaN);
      return;
    }
    double p = partitions;
    for (int i = 0; i < length; i++) {
      out[i] = (float) (sum[i] / p);
    }
  }

  /**
   * Writes the majority vote {@code sign(sum_p sign_p)} into {@code out}: +1, -1, or 0 for a tie.
   *
   * @throws IllegalStateException if this accumulates means, or no payload carried signs
   */
  public void majoritySign(float[] out) {
    if (votes == null) {
      throw new IllegalStateException("a mean accumulator has no votes; use forVotes");
    }
    requireSigns(out, "a majority vote");
    if (nonFinite > 0) {
      Arrays.fill(out, Float.NaN);
      return;
    }
    SignCodec.majority(votes, out);
  }

  private void requireSigns(float[] out, String what) {
    if (out.length != length) {
      throw new IllegalArgumentException(
          "out has " + out.length + " entries, the accumulator " + length);
    }
    if (partitions == 0) {
      throw new IllegalStateException("cannot compute " + what + " of " + payloads
          + " payloads without signs: every partition abstained (empty batches; check the "
          + "sampler and the data)");
    }
  }

  /** Forgets everything added, keeping the buffers; returns this. */
  public SignAccumulator clear() {
    if (sum != null) {
      Arrays.fill(sum, 0f);
    } else {
      Arrays.fill(votes, 0);
    }
    partitions = 0;
    payloads = 0;
    lossSum = 0;
    count = 0;
    missingStates = 0;
    nonFinite = 0;
    computeNanos = 0;
    return this;
  }

  /** The running sum of decoded values (live, do not modify); null for a vote accumulator. */
  public float[] decodedSum() {
    return sum;
  }

  /** The running vote counts (live, do not modify); null for a mean accumulator. */
  public int[] votes() {
    return votes;
  }

  /** Number of entries. */
  public int length() {
    return length;
  }

  /** Payloads added that carried signs (the P of the mean). */
  public int partitions() {
    return partitions;
  }

  /** All payloads added, abstentions included. */
  public int payloads() {
    return payloads;
  }

  /** Sum of per-example losses over all payloads. */
  public double lossSum() {
    return lossSum;
  }

  /** Examples over all payloads. */
  public long count() {
    return count;
  }

  /**
   * Mean loss per example.
   *
   * @throws IllegalStateException if no example was seen
   */
  public double meanLoss() {
    if (count == 0) {
      throw new IllegalStateException("cannot compute a mean loss over no examples");
    }
    return lossSum / count;
  }

  /** Partitions whose executor state was missing this step (restarted from zero). */
  public int missingStates() {
    return missingStates;
  }

  /** NaN or infinite entries reported by all payloads. */
  public long nonFinite() {
    return nonFinite;
  }

  /** The slowest payload's compute time in nanoseconds. */
  public long computeNanos() {
    return computeNanos;
  }
}
