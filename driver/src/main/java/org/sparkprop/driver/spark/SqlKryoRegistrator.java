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
    "org.apache.spark.ml.linalg.DenseVector",
    "org.apache.spark.ml.linalg.SparseVector",
    "org.apache.spark.ml.stat.SummarizerBuffer",
    "org.apache.spark.mllib.stat.MultivariateOnlineSummarizer",
    // Spark ML's aggregations: evaluators, scalers, indexers, Summarizer
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeL1$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMax$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMin$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeNNZ$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Count$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Max$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Min$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL1$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL2$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$NumNonZeros$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Std$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Sum$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Variance$",
    "org.apache.spark.util.collection.OpenHashMap",
    "[Lorg.apache.spark.util.collection.OpenHashMap;",
    "org.apache.spark.util.collection.OpenHashMap$mcD$sp",
    "org.apache.spark.util.collection.OpenHashMap$mcI$sp",
    "org.apache.spark.util.collection.OpenHashMap$mcJ$sp",
    "org.apache.spark.util.collection.OpenHashSet",
    "org.apache.spark.util.collection.OpenHashSet$mcD$sp",
    "org.apache.spark.util.collection.OpenHashSet$mcF$sp",
    "org.apache.spark.util.collection.OpenHashSet$mcI$sp",
    "org.apache.spark.util.collection.OpenHashSet$mcJ$sp",
    "org.apache.spark.util.collection.OpenHashSet$Hasher",
    "org.apache.spark.util.collection.OpenHashSet$DoubleHasher",
    "org.apache.spark.util.collection.OpenHashSet$FloatHasher",
    "org.apache.spark.util.collection.OpenHashSet$IntHasher",
    "org.apache.spark.util.collection.OpenHashSet$LongHasher",
    "org.apache.spark.mllib.evaluation.binary.BinaryLabelCounter",
    "[Lorg.apache.spark.mllib.evaluation.binary.BinaryLabelCounter;",
    "scala.reflect.ManifestFactory$LongManifest",
    "scala.reflect.ManifestFactory$DoubleManifest",
    "scala.reflect.ManifestFactory$IntManifest",
    "scala.reflect.ManifestFactory$FloatManifest",
    "org.apache.spark.sql.catalyst.expressions.GenericRow",
    "org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema",
    "org.apache.spark.sql.catalyst.expressions.GenericInternalRow",
    "org.apache.spark.sql.catalyst.expressions.SpecificInternalRow",
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
