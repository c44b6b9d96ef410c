package org.sparkprop.examples.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sparkprop.core.data.BatchBuffer;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.BlockList;
import org.sparkprop.core.sample.BatchSampler;

/**
 * A task's mini-batch gather: {@link BlockList#gather} of {@code batch} rows out of a partition
 * of {@value #ROWS} MNIST-like rows (784 floats each, about 94 MB) held in blocks of {@value
 * #BLOCK_ROWS} rows. The rows are those {@link BatchSampler} picks for consecutive steps (a
 * shuffled pass), precomputed for a whole pass and cycled, so the copied rows are mostly not in
 * cache, as in training.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GatherBench {
  static final int ROWS = 30_000;
  static final int BLOCK_ROWS = 4096;

  /** Rows per task: W1's 128, and a large-batch task's 2,048. */
  @Param({"128", "2048"})
  public int batch;

  private BlockList data;
  private int[][] steps;
  private int next;
  private final BatchBuffer buffer = new BatchBuffer();

  @Setup
  public void setUp() {
    data = new BlockList(List.of(BenchData.mnistLikeBlocks(ROWS, BLOCK_ROWS, 13)));
    BatchSampler sampler = new BatchSampler(1, 0, ROWS);
    steps = new int[(ROWS + batch - 1) / batch][batch];
    for (int s = 0; s < steps.length; s++) {
      sampler.rowsForStep(s, batch, 1, steps[s]);
    }
  }

  @Benchmark
  public Block gather() {
    int[] rows = steps[next];
    next = next + 1 == steps.length ? 0 : next + 1;
    return data.gather(rows, batch);
  }

  /** The same rows into the thread's reused arrays, as a training task gathers them. */
  @Benchmark
  public Block gatherIntoBuffer() {
    int[] rows = steps[next];
    next = next + 1 == steps.length ? 0 : next + 1;
    return data.gather(rows, batch, buffer);
  }
}
