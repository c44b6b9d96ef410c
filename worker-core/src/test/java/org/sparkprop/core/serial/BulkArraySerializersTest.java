package org.sparkprop.core.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import scala.reflect.ClassTag$;

class BulkArraySerializersTest {
  private static final SplittableRandom RNG = new SplittableRandom(7);

  /** Lengths around the scratch run boundaries, where an off-by-one would lose elements. */
  private static final int[] LENGTHS = {0, 1, 3, 1023, 1024, 1025, 8191, 8192, 8193, 20_000,
      203_530};

  /** A Kryo instance configured as Spark configures it, with the project's registrator. */
  private static Kryo kryo() {
    return new KryoSerializer(conf()).newKryo();
  }

  private static SparkConf conf() {
    return new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", SparkpropKryoRegistrator.class.getName());
  }

  /** Writes through a small stream buffer, so runs straddle Output's flushes. */
  private static byte[] write(Kryo kryo, Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = new Output(bytes, 4096);
    kryo.writeClassAndObject(out, value);
    out.close();
    return bytes.toByteArray();
  }

  private static Object read(Kryo kryo, byte[] bytes) {
    return kryo.readClassAndObject(new Input(new ByteArrayInputStream(bytes), 4096));
  }

  @Test
  void floatsKeepEveryBitPatternIncludingNanPayloadsAndSignedZero() {
    Kryo kryo = kryo();
    for (int n : LENGTHS) {
      float[] a = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = Float.intBitsToFloat(RNG.nextInt());
      }
      if (n > 2) {
        a[0] = -0.0f;
        a[1] = Float.intBitsToFloat(0x7fc00123); // NaN with a payload
      }
      float[] back = (float[]) read(kryo, write(kryo, a));
      assertEquals(n, back.length);
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(back[i]), "at " + i);
      }
    }
  }

  @Test
  void doublesIntsAndLongsRoundTrip() {
    Kryo kryo = kryo();
    for (int n : LENGTHS) {
      double[] d = RNG.doubles(n).map(x -> (x - 0.5) * 1e300).toArray();
      int[] i = RNG.ints(n).toArray();
      long[] l = RNG.longs(n).toArray();
      assertArrayEquals(d, (double[]) read(kryo, write(kryo, d)));
      assertArrayEquals(i, (int[]) read(kryo, write(kryo, i)));
      assertArrayEquals(l, (long[]) read(kryo, write(kryo, l)));
    }
  }

  @Test
  void wireFormatIsLengthPlusOneThenLittleEndianWhateverThePlatform() {
    Kryo kryo = kryo();
    kryo.setReferences(false); // no reference marker before each array
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = new Output(bytes);
    kryo.writeObject(out, new float[] {1.0f, -2.5f});
    kryo.writeObject(out, new int[] {0x01020304});
    out.close();
    byte[] b = bytes.toByteArray();
    // 1.0f = 0x3f800000, -2.5f = 0xc0200000, little-endian; then 0x01020304 little-endian.
    byte[] expected = {3, 0, 0, (byte) 0x80, 0x3f, 0, 0, 0x20, (byte) 0xc0, 2, 4, 3, 2, 1};
    assertArrayEquals(expected, b);
  }

  @Test
  void sparksKryoUsesTheBulkSerializersForAllFourArrayTypes() {
    Kryo kryo = kryo();
    assertInstanceOf(BulkArraySerializers.Floats.class, kryo.getSerializer(float[].class));
    assertInstanceOf(BulkArraySerializers.Doubles.class, kryo.getSerializer(double[].class));
    assertInstanceOf(BulkArraySerializers.Ints.class, kryo.getSerializer(int[].class));
    assertInstanceOf(BulkArraySerializers.Longs.class, kryo.getSerializer(long[].class));
  }

  @Test
  void nullArraysAndNullFieldsSurvive() {
    Kryo kryo = kryo();
    kryo.setReferences(false); // the serializer itself writes the null marker
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = new Output(bytes);
    kryo.writeObjectOrNull(out, null, float[].class);
    kryo.writeObjectOrNull(out, new float[0], float[].class);
    out.close();
    assertArrayEquals(new byte[] {0, 1}, bytes.toByteArray());
    Input in = new Input(bytes.toByteArray());
    assertNull(kryo.readObjectOrNull(in, float[].class));
    assertEquals(0, kryo.readObjectOrNull(in, float[].class).length);
    kryo = kryo();

    StepState noMomentum = new StepState(4, new float[] {1, 2}, null, -1);
    StepState back = (StepState) read(kryo, write(kryo, noMomentum));
    assertNull(back.momentum());
    assertArrayEquals(noMomentum.params(), back.params());
  }

  @Test
  void sparkKryoSerializerUsesThemForPayloads() {
    SerializerInstance ser = new KryoSerializer(conf()).newInstance();
    float[] grad = new float[100_000];
    for (int i = 0; i < grad.length; i++) {
      grad[i] = (float) RNG.nextGaussian();
    }
    GradientPayload p = GradientPayload.of(grad, 12.5, 128);
    ByteBuffer wire = ser.serialize(p, ClassTag$.MODULE$.apply(GradientPayload.class));
    // 4 bytes per float plus a few header bytes: no per-element encoding overhead.
    assertEquals(4 * grad.length, wire.remaining(), 40);
    GradientPayload back = ser.deserialize(wire, ClassTag$.MODULE$.apply(GradientPayload.class));
    assertArrayEquals(grad, back.gradientSum());
    assertEquals(128, back.count());
    assertEquals(12.5, back.lossSum());
  }
}
