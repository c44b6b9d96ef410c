package org.sparkprop.driver.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.sparkprop.driver.data.DataError;
import org.sparkprop.driver.dataset.Piece;
import org.sparkprop.driver.dataset.SourceBlock;
import org.sparkprop.driver.dataset.SourceStats;

/**
 * Registers the driver module's classes that cross JVMs (shuffled or cached while loading data),
 * and the few Scala/JDK containers Spark uses for them.
 */
public final class DriverKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(SourceBlock.class);
    kryo.register(Piece.class);
    kryo.register(Object[].class);
    kryo.register(long[][].class);
    kryo.register(scala.collection.mutable.WrappedArray.ofRef.class);
    kryo.register(SourceStats.class);
    kryo.register(SourceStats[].class);
    // Records: Kryo 4's field serializer cannot set their final fields; both are small and rare.
    kryo.register(DataError.class, new JavaSerializer());
    kryo.register(org.sparkprop.driver.dataset.IdxSplit.class, new JavaSerializer());
    // Broadcast once per predict/evaluate/transform; its spec and label map are plain classes.
    kryo.register(org.sparkprop.driver.predict.TrainedModel.class, new JavaSerializer());
    kryo.register(org.sparkprop.driver.predict.Evaluation.Sums.class);
  }
}
