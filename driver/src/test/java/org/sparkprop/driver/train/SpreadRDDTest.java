package org.sparkprop.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.driver.SparkTestBase;
import scala.reflect.ClassTag$;

/**
 * The re-spread copy of the cached training data: the same partitions with the same blocks, and
 * no pull towards where the parent's blocks are cached.
 */
class SpreadRDDTest extends SparkTestBase {

  private JavaRDD<Block> cached() {
    List<Block> blocks = new ArrayList<>();
    for (int b = 0; b < 6; b++) {
      float[] x = new float[4 * 3];
      for (int i = 0; i < x.length; i++) {
        x[i] = 100 * b + i;
      }
      blocks.add(new DenseBlock(4, 3, x, new float[] {b, b, b, b}));
    }
    JavaRDD<Block> rdd = jsc().parallelize(blocks, 3).persist(StorageLevel.MEMORY_AND_DISK());
    rdd.count();
    return rdd;
  }

  private static List<String> contents(JavaRDD<Block> rdd) {
    return rdd.mapPartitionsWithIndex((p, it) -> {
      StringBuilder b = new StringBuilder(p + ":");
      while (it.hasNext()) {
        b.append(' ').append(((DenseBlock) it.next()).features()[0]);
      }
      return List.of(b.toString()).iterator();
    }, true).collect();
  }

  @Test
  void theCopyHoldsTheSameBlocksInTheSamePartitions() {
    JavaRDD<Block> parent = cached();
    JavaRDD<Block> spread = new JavaRDD<>(new SpreadRDD(parent.rdd(),
        List.of("executor_127.0.0.1_driver")), ClassTag$.MODULE$.apply(Block.class));
    assertEquals(parent.getNumPartitions(), spread.getNumPartitions());
    // Each partition as "index: first feature of each block".
    assertEquals(contents(parent), contents(spread));
    assertEquals(List.of("0: 0.0 100.0", "1: 200.0 300.0", "2: 400.0 500.0"), contents(spread));
  }

  @Test
  void partitionsGoRoundRobinOverTheExecutorsNotWhereTheParentIsCached() {
    JavaRDD<Block> parent = cached();
    SpreadRDD spread = new SpreadRDD(parent.rdd(), List.of("executor_hostA_1",
        "executor_hostB_2"));
    for (int p = 0; p < 3; p++) {
      assertEquals(List.of(p % 2 == 0 ? "executor_hostA_1" : "executor_hostB_2"),
          scala.collection.JavaConverters.seqAsJavaListConverter(
              jsc().sc().getPreferredLocs(spread, p)).asJava().stream()
              .map(Object::toString).toList());
    }
  }
}
