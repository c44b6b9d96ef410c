/**
 * Executor-side building blocks of the sign-compressed (1-bit) exchange: packing signs 64 per
 * {@code long} ({@link org.sparkprop.core.exchange.sign.SignCodec}), per-tensor scales ({@link
 * org.sparkprop.core.exchange.sign.Scale} over {@link org.sparkprop.core.exchange.sign.Segments}),
 * error feedback ({@link org.sparkprop.core.exchange.sign.ErrorFeedback}), the payload a task
 * returns ({@link org.sparkprop.core.exchange.sign.SignPayload}) and the driver's dense
 * accumulator of payloads ({@link org.sparkprop.core.exchange.sign.SignAccumulator}), the
 * per-(run, partition) executor state versioned by step ({@link
 * org.sparkprop.core.exchange.sign.ExecutorStateStore}), and the one-step functions a Spark task
 * calls ({@link org.sparkprop.core.exchange.sign.SignStep}).
 *
 * <p>Conventions used throughout:
 *
 * <ul>
 *   <li><b>sign(0) = +1</b>: an element is sent as bit 1 when {@code x >= 0f} (so {@code +0.0}
 *       and {@code -0.0} both give +1) and as bit 0 when {@code x < 0f}. A NaN element gives an
 *       unspecified (but deterministic) bit; every place that compresses counts non-finite
 *       entries so the driver can reject the step.
 *   <li><b>Bit order</b>: element {@code i} of a packed vector is bit {@code i & 63} (bit 0 = least
 *       significant) of word {@code i >>> 6}. A vector of length n takes {@code (n + 63) / 64}
 *       words; the padding bits of the last word are 0 and are never read.
 *   <li><b>One payload, one vector</b>: the whole flat parameter vector {@code [W_0, b_0, W_1, b_1,
 *       ...]} is packed into one {@code long[]}; tensors (each W and each b) only delimit the
 *       per-tensor scales.
 * </ul>
 *
 * <p>Nothing here needs a SparkContext or ND4J.
 */
package org.sparkprop.core.exchange.sign;
