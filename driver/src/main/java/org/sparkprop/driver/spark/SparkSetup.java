package org.sparkprop.driver.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark configuration every sparkprop run uses. Under spark-submit the master and any
 * {@code spark.*} settings come from spark-submit; otherwise the master defaults to
 * {@code local[*]}. conf/spark-defaults.conf lists the same settings for spark-submit users.
 */
public final class SparkSetup {
  /** Registrators for every class sparkprop ships (Kryo registration is required). */
  public static final String REGISTRATORS = "org.sparkprop.core.serial.SparkpropKryoRegistrator,"
      + "org.sparkprop.driver.spark.DriverKryoRegistrator,"
      + "org.sparkprop.driver.spark.SqlKryoRegistrator";

  private SparkSetup() {}

  /**
   * @param master the --master option, or null to keep spark-submit's or use local[*]
   */
  public static SparkConf conf(String master, String appName) {
    SparkConf conf = new SparkConf(true);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    if (conf.get("spark.master").startsWith("local")) {
      // A local run needs no listener beyond this machine: the driver's RPC and block manager on
      // the loopback address, and no web UI unless asked for (spark.ui.enabled=true; it binds
      // where SPARK_LOCAL_IP says, which bin/sparkprop sets to 127.0.0.1).
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
    }
    conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.set("spark.kryo.registrator", REGISTRATORS);
    conf.set("spark.kryo.registrationRequired", "true");
    conf.setIfMissing("spark.kryo.unsafe", "false");
    // One native BLAS/OpenMP thread per task slot on executors (spark.task.cpus per task).
    conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    // Each step broadcasts the parameters: float data that LZ4 does not shrink (measured: the
    // stored pieces are the raw size), so compressing only costs time. Broadcasts are built in
    // chunks of blockSize bytes, allocated whole even for a small broadcast (the task binary of
    // every stage is one): 1 MB instead of 4 MB cuts the per-step allocation.
    conf.setIfMissing("spark.broadcast.compress", "false");
    conf.setIfMissing("spark.broadcast.blockSize", "1m");
    return conf;
  }

  /** Starts a context with {@link #conf}. */
  public static JavaSparkContext start(String master, String appName) {
    return new JavaSparkContext(conf(master, appName));
  }
}
