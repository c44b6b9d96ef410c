package org.sparkprop.core.exchange.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.model.ParamLayout;
import org.sparkprop.core.serial.SparkpropKryoRegistrator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * What crosses JVMs survives both serializers. The Kryo test runs Spark's serializer with
 * registration required and exactly the classes this package asks the registrator to add.
 */
class SignSerializationTest {

  /** The classes to append to {@link SparkpropKryoRegistrator}'s list. */
  static final String TO_REGISTER =
      SignPayload.class.getName() + "," + Segments.class.getName();

  private static SignPayload sample() {
    float[] x = ErrorFeedbackTest.gaussian(new SplittableRandom(31), 203, 1.0);
    Segments seg = Segments.ofBounds(0, 100, 203);
    float[] scales = new float[2];
    Scale.L1_MEAN.perTensor(x, seg, scales);
    return SignPayload.scaled(203, SignCodec.pack(x), scales, 12.5, 9)
        .withMissingState(true)
        .withNonFinite(2)
        .withComputeNanos(12345);
  }

  private static void assertSamePayload(SignPayload a, SignPayload b) {
    assertEquals(a.length(), b.length());
    assertArrayEquals(a.bits(), b.bits());
    assertArrayEquals(a.scales(), b.scales(), 0f);
    assertEquals(a.lossSum(), b.lossSum(), 0);
    assertEquals(a.count(), b.count());
    assertEquals(a.missingState(), b.missingState());
    assertEquals(a.nonFinite(), b.nonFinite());
    assertEquals(a.computeNanos(), b.computeNanos());
    assertEquals(a.hasSigns(), b.hasSigns());
  }

  @Test
  void javaSerializationRoundTrip() throws Exception {
    for (Object o : new Object[] {sample(), SignPayload.abstain(),
        Segments.of(new ParamLayout(3, 4, 2))}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(o);
      }
      Object back;
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        back = in.readObject();
      }
      if (o instanceof SignPayload) {
        assertSamePayload((SignPayload) o, (SignPayload) back);
      } else {
        assertEquals(o, back);
      }
    }
  }

  @Test
  void kryoRoundTripWithRegistrationRequired() {
    SparkConf conf = new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", SparkpropKryoRegistrator.class.getName())
        .set("spark.kryo.classesToRegister", TO_REGISTER);
    SerializerInstance kryo = new KryoSerializer(conf).newInstance();

    SignPayload p = sample();
    SignPayload back = roundTrip(kryo, p, SignPayload.class);
    assertSamePayload(p, back);
    ByteBuffer wire = kryo.serialize(p, tag(SignPayload.class));
    assertTrue(wire.remaining() < 4 * 8 + 2 * 4 + 64, "bytes: " + wire.remaining());

    SignPayload abstain = roundTrip(kryo, SignPayload.abstain(), SignPayload.class);
    assertFalse(abstain.hasSigns());
    assertFalse(abstain.hasScales());

    Segments seg = Segments.of(new ParamLayout(3, 4, 2));
    assertEquals(seg, roundTrip(kryo, seg, Segments.class));

    SignAccumulator acc = SignAccumulator.forMean(Segments.ofBounds(0, 100, 203));
    acc.add(back);
    assertEquals(1, acc.missingStates());
  }

  @Test
  void kryoRefusesThePayloadWithoutTheRegistration() {
    SparkConf bare = new SparkConf(false).set("spark.kryo.registrationRequired", "true");
    SerializerInstance kryo = new KryoSerializer(bare).newInstance();
    assertThrows(RuntimeException.class,
        () -> kryo.serialize(sample(), tag(SignPayload.class)));
  }

  @Test
  void theProjectRegistratorRegistersThePayload() {
    SparkConf conf = new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", SparkpropKryoRegistrator.class.getName());
    SerializerInstance kryo = new KryoSerializer(conf).newInstance();
    SignPayload back = roundTrip(kryo, sample(), SignPayload.class);
    org.junit.jupiter.api.Assertions.assertArrayEquals(sample().bits(), back.bits());
  }

  private static <T> T roundTrip(SerializerInstance kryo, T value, Class<T> type) {
    return kryo.deserialize(kryo.serialize(value, tag(type)), tag(type));
  }

  private static <T> ClassTag<T> tag(Class<T> type) {
    return ClassTag$.MODULE$.apply(type);
  }
}
