package org.sparkprop.examples.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sparkprop.core.exchange.GradientPayload;

/**
 * The driver's reduce: {@link GradientPayload#merge} of a W1-sized payload (203,530 floats) into
 * an accumulator. The accumulator is kept across invocations (each merge adds the same right
 * operand again, which stays valid because the accumulator already owns a gradient) and rebuilt
 * per iteration, so no per-invocation setup distorts the nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PayloadMergeBench {
  /** W1's parameter count. */
  static final int N = 203_530;

  private GradientPayload accumulator;
  private GradientPayload other;

  @Setup(Level.Iteration)
  public void setUp() {
    accumulator = GradientPayload.of(BenchData.uniform(N, 1e-2, 1), 300.0, 128);
    other = GradientPayload.of(BenchData.uniform(N, 1e-2, 2), 290.0, 128);
  }

  @Benchmark
  public GradientPayload merge() {
    return accumulator.merge(other);
  }
}
