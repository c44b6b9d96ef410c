package org.sparkprop.core.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps ND4J's native (OpenMP and BLAS) threads for this JVM. Spark's task threads are the
 * parallelism; native threads on top of them fight for the same cores (measured: the same model
 * 2.4x slower with ND4J's default threads than with one per task). Call before the first ND4J op
 * of a task; only the first call per JVM has an effect.
 */
public final class NativeThreads {
  private static final Logger LOG = LoggerFactory.getLogger(NativeThreads.class);
  private static volatile boolean configured;

  private NativeThreads() {}

  /** Sets native threads per JVM to {@code threads} (at least 1), once. */
  public static void configure(int threads) {
    if (configured) {
      return;
    }
    synchronized (NativeThreads.class) {
      if (configured) {
        return;
      }
      int n = Math.max(1, threads);
      Nd4j.getEnvironment().setMaxThreads(n);
      Nd4j.getEnvironment().setMaxMasterThreads(n);
      Nd4j.factory().blas().setMaxThreads(n);
      LOG.info("ND4J native threads per JVM: {} (OMP_NUM_THREADS={})", n,
          System.getenv("OMP_NUM_THREADS"));
      configured = true;
    }
  }
}
