package org.sparkprop.examples.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sparkprop.core.exchange.GradientPayload;
import org.sparkprop.driver.optim.AdamConfig;
import org.sparkprop.driver.optim.Optimizer;
import org.sparkprop.driver.optim.SgdConfig;

/**
 * The driver's per-step work after the reduce, on W1's 203,530 parameters: the mean gradient
 * ({@link GradientPayload#meanGradient}) and one optimizer step (Adam 1e-3 as in W1, and SGD
 * with momentum 0.9), including the optimizer's finite-gradient check. The optimizers run in
 * their steady state: their moments carry over from step to step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OptimizerBench {
  static final int N = PayloadMergeBench.N;

  private float[] params;
  private float[] grad;
  private Optimizer adam;
  private Optimizer sgdMomentum;
  private GradientPayload payload;
  private float[] mean;

  @Setup
  public void setUp() {
    params = BenchData.uniform(N, 0.05, 3);
    grad = BenchData.uniform(N, 1e-3, 4);
    adam = AdamConfig.adam().lr(1e-3).build().create(N);
    sgdMomentum = SgdConfig.builder().lr(0.01).momentum(0.9).build().create(N);
    payload = GradientPayload.of(BenchData.uniform(N, 0.1, 5), 300.0, 256);
    mean = new float[N];
  }

  @Benchmark
  public float adamStep() {
    adam.step(params, grad);
    return params[N - 1];
  }

  @Benchmark
  public float sgdMomentumStep() {
    sgdMomentum.step(params, grad);
    return params[N - 1];
  }

  @Benchmark
  public float meanGradient() {
    payload.meanGradient(mean);
    return mean[N - 1];
  }
}
