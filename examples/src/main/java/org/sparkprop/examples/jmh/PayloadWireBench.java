package org.sparkprop.examples.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.serial.SparkpropKryoRegistrator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A task result on the wire: a W1-sized gradient payload (784 x 256 first-layer weights, then the
 * rest) serialized and deserialized by Spark's Kryo serializer with sparkprop's registrator, as
 * the executor and the driver do it. {@code dense}: every entry non-zero, which is what every
 * payload cost before zero runs were left out. {@code zeroRows}: a third of the first layer's
 * rows exactly zero, as a 128-row MNIST batch leaves them (its inputs are zero in every row).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PayloadWireBench {
  private static final ClassTag<GradientPayload> TYPE = ClassTag$.MODULE$.apply(
      GradientPayload.class);

  @Param({"dense", "zeroRows"})
  public String gradient;

  private SerializerInstance serializer;
  private GradientPayload payload;
  private ByteBuffer wire;

  @Setup
  public void setUp() {
    serializer = new KryoSerializer(new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", SparkpropKryoRegistrator.class.getName())).newInstance();
    float[] g = BenchData.uniform(PayloadMergeBench.N, 1e-2, 3);
    for (int i = 0; i < g.length; i++) {
      g[i] = g[i] == 0f ? 1e-3f : g[i];
    }
    if (gradient.equals("zeroRows")) {
      for (int row = 0; row < 784; row += 3) {
        java.util.Arrays.fill(g, row * 256, (row + 1) * 256, 0f);
      }
    }
    payload = GradientPayload.of(g, 300.0, 128);
    wire = serializer.serialize(payload, TYPE);
  }

  @Benchmark
  public ByteBuffer serialize() {
    return serializer.serialize(payload, TYPE);
  }

  @Benchmark
  public GradientPayload deserialize() {
    return serializer.deserialize(wire.duplicate(), TYPE);
  }
}
