package org.sparkprop.driver.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Spark SQL's and Spark ML's classes that cross JVMs through Kryo when sparkprop reads a table,
 * writes predictions or runs in a Pipeline: schemas and rows shipped in task results, write
 * commit messages. sparkprop runs with {@code spark.kryo.registrationRequired=true}, so each must
 * be registered; Spark registers some of them itself. Listed by name and skipped when absent, so
 * a plain spark-core classpath works too.
 */
public final class SqlKryoRegistrator implements KryoRegistrator {
  static final String[] CLASSES = {
    "org.apache.spark.sql.types.StructType",
    "org.apache.spark.sql.types.StructField",
    "[Lorg.apache.spark.sql.types.StructField;",
    "org.apache.spark.sql.types.Metadata",
    "org.apache.spark.sql.types.ArrayType",
    "org.apache.spark.sql.types.MapType",
    "org.apache.spark.sql.types.DecimalType",
    "org.apache.spark.sql.types.BooleanType$",
    "org.apache.spark.sql.types.ByteType$",
    "org.apache.spark.sql.types.ShortType$",
    "org.apache.spark.sql.types.IntegerType$",
    "org.apache.spark.sql.types.LongType$",
    "org.apache.spark.sql.types.FloatType$",
    "org.apache.spark.sql.types.DoubleType$",
    "org.apache.spark.sql.types.StringType$",
    "org.apache.spark.sql.types.BinaryType$",
    "org.apache.spark.sql.types.NullType$",
    "org.apache.spark.sql.types.TimestampType$",
    "org.apache.spark.sql.types.DateType$",
    "org.apache.spark.ml.linalg.VectorUDT",
    "org.apache.spark.ml.linalg.MatrixUDT",
    "org.apache.spark.sql.catalyst.expressions.GenericRow",
    "org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema",
    "org.apache.spark.sql.catalyst.expressions.GenericInternalRow",
    "org.apache.spark.sql.catalyst.expressions.SpecificInternalRow",
    "org.apache.spark.sql.catalyst.InternalRow[]",
    "[Lorg.apache.spark.sql.catalyst.InternalRow;",
    "[Lorg.apache.spark.sql.Row;",
    "org.apache.spark.sql.catalyst.util.GenericArrayData",
    "org.apache.spark.unsafe.types.UTF8String",
    "org.apache.spark.sql.execution.datasources.WriteTaskResult",
    "org.apache.spark.sql.execution.datasources.BasicWriteTaskStats",
    "org.apache.spark.sql.execution.datasources.ExecutedWriteSummary",
    "org.apache.spark.internal.io.FileCommitProtocol$TaskCommitMessage",
    "org.apache.spark.sql.execution.datasources.FileFormatWriter$ConcurrentOutputWriterSpec",
    "scala.collection.immutable.Set$EmptySet$",
    "scala.collection.immutable.Map$EmptyMap$",
    "scala.collection.immutable.HashSet",
    "scala.collection.immutable.Nil$",
    "scala.collection.mutable.HashMap",
    "scala.collection.mutable.ArrayBuffer",
    "java.util.HashMap",
    "java.util.ArrayList",
    "java.lang.Class",
    "[Ljava.lang.String;",
    "[Ljava.lang.Object;",
  };

  @Override
  public void registerClasses(Kryo kryo) {
    for (String name : CLASSES) {
      try {
        kryo.register(Class.forName(name, false, Thread.currentThread().getContextClassLoader()
            == null ? SqlKryoRegistrator.class.getClassLoader()
            : Thread.currentThread().getContextClassLoader()));
      } catch (ClassNotFoundException e) {
        // not on this classpath (e.g. spark-core only): nothing ships it
      }
    }
  }
}
