package org.sparkprop.driver;

import com.holdenkarau.spark.testing.SharedJavaSparkContext;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.sparkprop.driver.spark.SparkSetup;

/**
 * One {@code local[2]} Spark context shared by the tests of a class (Spark Testing Base's
 * SharedJavaSparkContext, driven from JUnit 5), configured exactly as production runs are:
 * Kryo with registration required.
 */
public abstract class SparkTestBase extends SharedJavaSparkContext {

  @Override
  public SparkConf conf() {
    return SparkSetup.conf("local[2]", getClass().getSimpleName())
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
  }

  @BeforeEach
  void startSpark() {
    runBefore();
    jsc().setLogLevel("WARN");
  }

  @AfterAll
  static void stopSpark() {
    runAfterClass();
  }
}
