package org.sparkprop.core.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
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
import scala.reflect.ClassTag$;

class GradientPayloadSerializerTest {
  private static final int MIN = GradientPayloadSerializer.MIN_ZERO_RUN;

  private static Kryo kryo() {
    return new KryoSerializer(new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", SparkpropKryoRegistrator.class.getName())).newKryo();
  }

  /** Through a small stream buffer, so literal runs straddle Output's and Input's refills. */
  private static byte[] write(Kryo kryo, GradientPayload p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = new Output(bytes, 4096);
    kryo.writeObject(out, p);
    out.close();
    return bytes.toByteArray();
  }

  private static GradientPayload read(Kryo kryo, byte[] bytes) {
    return kryo.readObject(new Input(new ByteArrayInputStream(bytes), 4096),
        GradientPayload.class);
  }

  private static void assertSameBits(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          "entry " + i);
    }
  }

  private static GradientPayload roundTrip(Kryo kryo, float[] g) {
    GradientPayload p = GradientPayload.of(g.clone(), 3.25, 77).withComputeNanos(123_456_789L);
    GradientPayload back = read(kryo, write(kryo, p));
    assertSameBits(g, back.gradientSum());
    assertEquals(3.25, back.lossSum());
    assertEquals(77, back.count());
    assertEquals(123_456_789L, back.computeNanos());
    return back;
  }

  @Test
  void sparksKryoUsesItForPayloads() {
    assertInstanceOf(GradientPayloadSerializer.class, kryo().getSerializer(GradientPayload.class));
  }

  @Test
  void zeroRunsOfEveryLengthAtTheStartMiddleAndEndComeBackBitForBit() {
    Kryo kryo = kryo();
    for (int run = 0; run <= 2 * MIN + 1; run++) {
      for (int where = 0; where < 3; where++) {
        float[] g = new float[40];
        for (int i = 0; i < g.length; i++) {
          g[i] = i + 1;
        }
        int from = where == 0 ? 0 : where == 1 ? 17 : g.length - run;
        for (int i = from; i < from + run; i++) {
          g[i] = 0f;
        }
        roundTrip(kryo, g);
      }
    }
  }

  @Test
  void negativeZeroNanPayloadsAndSubnormalsAreLiteralsNotZeros() {
    Kryo kryo = kryo();
    float[] g = new float[64];
    for (int i = 0; i < 16; i++) {
      g[i] = -0.0f;
    }
    g[20] = Float.intBitsToFloat(0x7fc00123);
    g[30] = Float.MIN_VALUE;
    g[40] = -Float.MIN_VALUE;
    g[50] = Float.NEGATIVE_INFINITY;
    GradientPayload back = roundTrip(kryo, g);
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(back.gradientSum()[3]));
  }

  @Test
  void randomSparsityPatternsAndScratchBoundariesRoundTrip() {
    Kryo kryo = kryo();
    SplittableRandom rng = new SplittableRandom(11);
    int scratchFloats = BulkArraySerializers.SCRATCH_BYTES / Float.BYTES;
    int[] lengths = {0, 1, 2, MIN, scratchFloats - 1, scratchFloats, scratchFloats + 1,
        3 * scratchFloats + 5, 203_530};
    double[] densities = {0, 0.01, 0.1, 0.5, 0.9, 1};
    for (int n : lengths) {
      for (double d : densities) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
          if (rng.nextDouble() < d) {
            g[i] = Float.intBitsToFloat(rng.nextInt());
          }
        }
        roundTrip(kryo, g);
      }
    }
  }

  @Test
  void theEmptyPayloadKeepsItsComputeTime() {
    Kryo kryo = kryo();
    GradientPayload back = read(kryo, write(kryo, GradientPayload.empty().withComputeNanos(5)));
    assertTrue(back.isEmpty());
    assertNull(back.gradientSum());
    assertEquals(5, back.computeNanos());
    assertEquals(0, back.count());
  }

  @Test
  void zeroRowsCostNothingButSegmentHeaders() {
    Kryo kryo = kryo();
    // W1's first layer at 128 rows per task: 784 rows of 256 weights, and say 250 inputs that
    // are zero in the whole batch leave their rows at exactly zero.
    int rows = 784;
    int width = 256;
    float[] g = new float[rows * width + 2_826];
    SplittableRandom rng = new SplittableRandom(3);
    int zeroRows = 0;
    for (int r = 0; r < rows; r++) {
      boolean zero = r % 3 == 0 && zeroRows < 250;
      zeroRows += zero ? 1 : 0;
      for (int j = 0; j < width; j++) {
        g[r * width + j] = zero ? 0f : (float) rng.nextGaussian();
      }
    }
    for (int i = rows * width; i < g.length; i++) {
      g[i] = (float) rng.nextGaussian();
    }
    int literals = g.length - zeroRows * width;
    int wire = write(kryo, GradientPayload.of(g, 1, 128)).length;
    // 4 bytes per value, a 4-byte header per zero row (two varints: 256 and up to 768), and the
    // fixed fields (double, two varlongs, the length): about 1.5 KB over 4 bytes per value.
    assertTrue(wire >= 4 * literals && wire <= 4 * literals + 4 * zeroRows + 64,
        wire + " bytes for " + literals + " values");
    assertTrue(wire < 0.7 * 4 * g.length, "a third of the rows are zero: " + wire);
  }

  @Test
  void aDenseGradientCostsFourBytesPerValueAndShortZeroRunsStayLiterals() {
    Kryo kryo = kryo();
    float[] dense = new float[10_000];
    java.util.Arrays.fill(dense, 0.5f);
    int denseWire = write(kryo, GradientPayload.of(dense.clone(), 1, 1)).length;
    assertTrue(denseWire >= 40_000 && denseWire <= 40_000 + 24, "dense: " + denseWire);

    float[] shortRuns = dense.clone();
    for (int at = 100; at + MIN < shortRuns.length; at += 100) {
      java.util.Arrays.fill(shortRuns, at, at + MIN - 1, 0f); // one short of a skipped run
    }
    assertEquals(denseWire, write(kryo, GradientPayload.of(shortRuns, 1, 1)).length);

    float[] longRuns = dense.clone();
    int skipped = 0;
    for (int at = 100; at + MIN < longRuns.length; at += 100) {
      java.util.Arrays.fill(longRuns, at, at + MIN, 0f);
      skipped++;
    }
    int longWire = write(kryo, GradientPayload.of(longRuns, 1, 1)).length;
    // Dense: one segment, headers varint(0) + varint(10000) = 3 bytes. Now: (0, 100), then
    // (MIN, 100 - MIN) after each skipped run; every header here is 2 one-byte varints.
    int fixed = denseWire - 3 - 40_000;
    assertEquals(fixed + 2 + 4 * 100 + skipped * (2 + 4 * (100 - MIN)), longWire);
  }

  @Test
  void aSegmentThatOverrunsTheGradientIsReportedAsCorrupt() {
    Kryo kryo = kryo();
    kryo.setReferences(false); // the bytes below start with the payload itself
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = new Output(bytes);
    out.writeDouble(1.0);
    out.writeVarLong(2, true);
    out.writeVarLong(0, true);
    out.writeVarInt(10 + 1, true); // 10 entries
    out.writeVarInt(8, true); // skip 8
    out.writeVarInt(3, true); // then 3 values: 11 > 10
    out.writeBytes(new byte[12]);
    out.close();
    KryoException e = assertThrows(KryoException.class, () -> read(kryo, bytes.toByteArray()));
    assertTrue(e.getMessage().contains("8 zeros and 3 values at entry 0 of 10"), e.getMessage());
  }

  @Test
  void anEmptySegmentIsReportedAsCorruptInsteadOfLoopingForever() {
    Kryo kryo = kryo();
    kryo.setReferences(false);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = new Output(bytes);
    out.writeDouble(0.0);
    out.writeVarLong(1, true);
    out.writeVarLong(0, true);
    out.writeVarInt(5 + 1, true);
    out.writeVarInt(0, true);
    out.writeVarInt(0, true);
    out.close();
    KryoException e = assertThrows(KryoException.class, () -> read(kryo, bytes.toByteArray()));
    assertTrue(e.getMessage().contains("0 zeros and 0 values"), e.getMessage());
  }

  @Test
  void sparksSerializerInstanceRoundTripsAPayloadWithZeroRows() {
    SerializerInstance ser = new KryoSerializer(new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", SparkpropKryoRegistrator.class.getName())).newInstance();
    float[] g = new float[50_000];
    for (int i = 0; i < g.length; i += 7) {
      g[i] = i;
    }
    for (int i = 20_000; i < 30_000; i++) {
      g[i] = 0f;
    }
    GradientPayload p = GradientPayload.of(g.clone(), 4.5, 9);
    ByteBuffer wire = ser.serialize(p, ClassTag$.MODULE$.apply(GradientPayload.class));
    assertTrue(wire.remaining() < 4 * g.length / 2, wire.remaining() + " bytes");
    GradientPayload back = ser.deserialize(wire, ClassTag$.MODULE$.apply(GradientPayload.class));
    assertArrayEquals(g, back.gradientSum());
    assertEquals(9, back.count());
  }
}
