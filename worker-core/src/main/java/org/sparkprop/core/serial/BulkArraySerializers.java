package org.sparkprop.core.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Kryo serializers for primitive arrays that copy whole runs of elements at a time instead of one
 * element per call. Parameters, gradients and cached blocks are large primitive arrays, and Kryo's
 * own serializers (one {@code writeFloat} per element, variable-length ints) cost more than the
 * rest of a step's data handling together.
 *
 * <p>Wire format: the length plus one as an unsigned varint (0 = null, as Kryo's own array
 * serializers), then the elements as fixed-width little-endian values, whatever the platform's
 * byte order. Each serializer keeps a small scratch buffer, so it must not be shared between
 * Kryo instances: Kryo instances are used by one thread at a time, and the registrator makes new
 * serializers for each.
 */
public final class BulkArraySerializers {
  /** Bytes converted per copy: big enough to amortise the call, small enough to stay in cache. */
  static final int SCRATCH_BYTES = 1 << 15;

  private BulkArraySerializers() {}

  /** Registers the four serializers on {@code kryo} (replacing Kryo's defaults). */
  public static void register(Kryo kryo) {
    kryo.register(float[].class, new Floats());
    kryo.register(double[].class, new Doubles());
    kryo.register(int[].class, new Ints());
    kryo.register(long[].class, new Longs());
  }

  /** Shared length handling and scratch space; subclasses copy elements in runs. */
  private abstract static class Base<T> extends Serializer<T> {
    final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final int width;

    Base(int width) {
      super(true); // accepts null
      this.width = width;
    }

    abstract int length(T array);

    abstract T create(int length);

    /** Puts elements [from, from + n) of {@code array} at the start of {@link #scratch}. */
    abstract void toScratch(T array, int from, int n);

    /** Takes n elements from the start of {@link #scratch} into [from, from + n). */
    abstract void fromScratch(T array, int from, int n);

    @Override
    public final void write(Kryo kryo, Output output, T array) {
      if (array == null) {
        output.writeVarInt(0, true);
        return;
      }
      int length = length(array);
      output.writeVarInt(length + 1, true);
      writeElements(output, array, 0, length);
    }

    /** Writes elements [from, to) of {@code array}, fixed-width little-endian, no length. */
    final void writeElements(Output output, T array, int from, int to) {
      int perRun = SCRATCH_BYTES / width;
      for (int at = from; at < to; at += perRun) {
        int n = Math.min(perRun, to - at);
        toScratch(array, at, n);
        output.writeBytes(scratch.array(), 0, n * width);
      }
    }

    /** Reads elements [from, to) of {@code array} as {@link #writeElements} wrote them. */
    final void readElements(Input input, T array, int from, int to) {
      int perRun = SCRATCH_BYTES / width;
      for (int at = from; at < to; at += perRun) {
        int n = Math.min(perRun, to - at);
        input.readBytes(scratch.array(), 0, n * width);
        fromScratch(array, at, n);
      }
    }

    @Override
    public final T read(Kryo kryo, Input input, Class<T> type) {
      int lengthPlusOne = input.readVarInt(true);
      if (lengthPlusOne == 0) {
        return null;
      }
      int length = lengthPlusOne - 1;
      T array = create(length);
      readElements(input, array, 0, length);
      return array;
    }

    @Override
    public final T copy(Kryo kryo, T original) {
      return copyOf(original);
    }

    abstract T copyOf(T original);
  }

  /** float[] as little-endian IEEE 754 binary32; every bit pattern, NaN payloads included. */
  static final class Floats extends Base<float[]> {
    Floats() {
      super(Float.BYTES);
    }

    /** The scratch bytes as elements, made once: short runs cost no view object each. */
    private final FloatBuffer view = scratch.asFloatBuffer();

    @Override
    int length(float[] a) {
      return a.length;
    }

    @Override
    float[] create(int length) {
      return new float[length];
    }

    @Override
    void toScratch(float[] a, int from, int n) {
      view.put(0, a, from, n);
    }

    @Override
    void fromScratch(float[] a, int from, int n) {
      view.get(0, a, from, n);
    }

    @Override
    float[] copyOf(float[] a) {
      return a.clone();
    }
  }

  /** double[] as little-endian IEEE 754 binary64. */
  static final class Doubles extends Base<double[]> {
    Doubles() {
      super(Double.BYTES);
    }

    /** The scratch bytes as elements, made once: short runs cost no view object each. */
    private final DoubleBuffer view = scratch.asDoubleBuffer();

    @Override
    int length(double[] a) {
      return a.length;
    }

    @Override
    double[] create(int length) {
      return new double[length];
    }

    @Override
    void toScratch(double[] a, int from, int n) {
      view.put(0, a, from, n);
    }

    @Override
    void fromScratch(double[] a, int from, int n) {
      view.get(0, a, from, n);
    }

    @Override
    double[] copyOf(double[] a) {
      return a.clone();
    }
  }

  /**
   * int[] as little-endian 32-bit values. Fixed width is faster than Kryo's varints but larger
   * for small values: sparse column indices below 2^21 took 3 bytes, now 4 (this matters only
   * where blocks are shuffled or spilled, not for cached or exchanged data).
   */
  static final class Ints extends Base<int[]> {
    Ints() {
      super(Integer.BYTES);
    }

    /** The scratch bytes as elements, made once: short runs cost no view object each. */
    private final IntBuffer view = scratch.asIntBuffer();

    @Override
    int length(int[] a) {
      return a.length;
    }

    @Override
    int[] create(int length) {
      return new int[length];
    }

    @Override
    void toScratch(int[] a, int from, int n) {
      view.put(0, a, from, n);
    }

    @Override
    void fromScratch(int[] a, int from, int n) {
      view.get(0, a, from, n);
    }

    @Override
    int[] copyOf(int[] a) {
      return a.clone();
    }
  }

  /** long[] as little-endian 64-bit values. */
  static final class Longs extends Base<long[]> {
    Longs() {
      super(Long.BYTES);
    }

    /** The scratch bytes as elements, made once: short runs cost no view object each. */
    private final LongBuffer view = scratch.asLongBuffer();

    @Override
    int length(long[] a) {
      return a.length;
    }

    @Override
    long[] create(int length) {
      return new long[length];
    }

    @Override
    void toScratch(long[] a, int from, int n) {
      view.put(0, a, from, n);
    }

    @Override
    void fromScratch(long[] a, int from, int n) {
      view.get(0, a, from, n);
    }

    @Override
    long[] copyOf(long[] a) {
      return a.clone();
    }
  }
}
