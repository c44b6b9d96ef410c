package org.sparkprop.core.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.sparkprop.core.exchange.GradientPayload;

/**
 * Kryo serializer for {@link GradientPayload} that leaves out runs of zeros in the gradient. A
 * task's gradient is exactly +0.0 wherever its mini-batch did not reach a parameter: the first
 * layer's rows for inputs that are zero in every row of the batch (MNIST's border pixels, a
 * third of W1's rows at 128 rows per task), and most weights of a sparse linear model. Those
 * bytes would otherwise be copied five times on their way to the driver (serialized, chunked,
 * wrapped in the task result, unwrapped, deserialized).
 *
 * <p>Wire format: {@code lossSum} (double), {@code count} and {@code computeNanos} (varlongs),
 * the gradient's length plus one as an unsigned varint (0 = no gradient, the empty payload),
 * then segments until the length is covered: the number of zeros to skip and the number of
 * literal values that follow (unsigned varints, not both 0), then the literals as little-endian
 * IEEE 754 binary32. Only +0.0 is skipped (its bit pattern is 0), so the gradient comes back bit
 * for bit: -0.0, NaN payloads and subnormals included. A zero run shorter than {@link
 * #MIN_ZERO_RUN} stays among the literals: skipping it would save fewer bytes than a segment
 * header costs to write and read. A dense gradient is one segment, 4 bytes per value plus a
 * few.
 *
 * <p>Holds scratch buffers, so one instance serves one Kryo instance (one thread at a time).
 */
public final class GradientPayloadSerializer extends Serializer<GradientPayload> {
  /** Shortest zero run left out of the literals. */
  static final int MIN_ZERO_RUN = 4;

  /** Writes and reads the literals, as float[] entries are written anywhere else. */
  private final BulkArraySerializers.Floats floats = new BulkArraySerializers.Floats();

  public GradientPayloadSerializer() {
    super(false); // payloads are never null
  }

  /** Registers this serializer for {@link GradientPayload} on {@code kryo}. */
  public static void register(Kryo kryo) {
    kryo.register(GradientPayload.class, new GradientPayloadSerializer());
  }

  @Override
  public void write(Kryo kryo, Output output, GradientPayload p) {
    output.writeDouble(p.lossSum());
    output.writeVarLong(p.count(), true);
    output.writeVarLong(p.computeNanos(), true);
    float[] g = p.gradientSum();
    if (g == null) {
      output.writeVarInt(0, true);
      return;
    }
    output.writeVarInt(g.length + 1, true);
    int n = g.length;
    int at = 0;
    while (at < n) {
      int literalsFrom = zeroRunEnd(g, at);
      int literalsTo = literalsEnd(g, literalsFrom);
      output.writeVarInt(literalsFrom - at, true);
      output.writeVarInt(literalsTo - literalsFrom, true);
      floats.writeElements(output, g, literalsFrom, literalsTo);
      at = literalsTo;
    }
  }

  /** The first index at or after {@code from} whose value is not +0.0 ({@code g.length} if none). */
  private static int zeroRunEnd(float[] g, int from) {
    int i = from;
    while (i < g.length && Float.floatToRawIntBits(g[i]) == 0) {
      i++;
    }
    return i;
  }

  /**
   * Where the literals starting at {@code from} end: at the next zero run of at least {@link
   * #MIN_ZERO_RUN} entries, or at a zero run that reaches the end, or at the end.
   */
  private static int literalsEnd(float[] g, int from) {
    int n = g.length;
    int i = from;
    while (i < n) {
      if (Float.floatToRawIntBits(g[i]) != 0) {
        i++;
        continue;
      }
      int zerosTo = zeroRunEnd(g, i);
      if (zerosTo - i >= MIN_ZERO_RUN || zerosTo == n) {
        return i;
      }
      i = zerosTo;
    }
    return n;
  }

  @Override
  public GradientPayload read(Kryo kryo, Input input, Class<GradientPayload> type) {
    double lossSum = input.readDouble();
    long count = input.readVarLong(true);
    long computeNanos = input.readVarLong(true);
    int lengthPlusOne = input.readVarInt(true);
    if (lengthPlusOne == 0) {
      if (count != 0 || lossSum != 0) {
        throw new KryoException("corrupt gradient payload: no gradient but " + count
            + " examples (loss sum " + lossSum + ")");
      }
      return GradientPayload.empty().withComputeNanos(computeNanos);
    }
    int n = lengthPlusOne - 1;
    if (n < 0) {
      throw new KryoException("corrupt gradient payload: length " + Integer.toUnsignedString(n));
    }
    float[] g = new float[n];
    int at = 0;
    while (at < n) {
      int zeros = input.readVarInt(true);
      int literals = input.readVarInt(true);
      if (zeros < 0 || literals < 0 || (zeros | literals) == 0
          || (long) at + zeros + literals > n) {
        throw new KryoException("corrupt gradient payload: segment of " + zeros + " zeros and "
            + literals + " values at entry " + at + " of " + n);
      }
      at += zeros;
      floats.readElements(input, g, at, at + literals);
      at += literals;
    }
    return GradientPayload.of(g, lossSum, count).withComputeNanos(computeNanos);
  }

  @Override
  public GradientPayload copy(Kryo kryo, GradientPayload original) {
    float[] g = original.gradientSum();
    GradientPayload copy = g == null ? GradientPayload.empty()
        : GradientPayload.of(g.clone(), original.lossSum(), original.count());
    return copy.withComputeNanos(original.computeNanos());
  }
}
