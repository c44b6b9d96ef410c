package org.sparkprop.core.serial;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.data.SparseBlock;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.core.exchange.StepState;
import org.sparkprop.core.model.EvalStats;

/**
 * Registers every class sparkprop ships between JVMs, so Spark can run with
 * {@code spark.kryo.registrationRequired=true}. Classes are registered in a fixed order: the
 * driver and executors must agree on it. Primitive arrays use {@link BulkArraySerializers}.
 */
public final class SparkpropKryoRegistrator implements KryoRegistrator {

  /** The registered classes, in order. Other modules append through their own registrators. */
  private static final Class<?>[] CLASSES = {
    float[].class,
    double[].class,
    int[].class,
    long[].class,
    float[][].class,
    DenseBlock.class,
    SparseBlock.class,
    GradientPayload.class,
    StepState.class,
    EvalStats.class,
    org.sparkprop.core.exchange.sign.SignPayload.class,
    org.sparkprop.core.exchange.sign.Segments.class,
    org.sparkprop.core.exchange.sign.PartitionSnapshot.class,
    String[].class,
    org.sparkprop.core.exchange.sign.SignAccumulator.class,
  };

  @Override
  public void registerClasses(Kryo kryo) {
    for (Class<?> c : CLASSES) {
      kryo.register(c);
    }
    // Same registration ids, bulk little-endian serializers for the primitive arrays, and
    // gradients without their runs of zeros.
    BulkArraySerializers.register(kryo);
    GradientPayloadSerializer.register(kryo);
  }
}
