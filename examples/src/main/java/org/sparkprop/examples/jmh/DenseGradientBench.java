package org.sparkprop.examples.jmh;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.model.ParamLayout;

/**
 * The W1 worker kernel: {@link Network#gradient} of the MLP 784-256-10 ReLU (softmax
 * cross-entropy) on a batch of MNIST-like rows, one native thread.
 *
 * <ul>
 *   <li>{@code gradient}: forward, loss and backward, as a training task runs it;
 *   <li>{@code evaluate}: forward and loss only ({@link Network#evaluate});
 *   <li>{@code gemmOnly}: just the five GEMMs of one gradient ({@code X·W0}, {@code H·W1},
 *       {@code Hᵀ·dZ1}, {@code dZ1·W1ᵀ}, {@code Xᵀ·dZ0}) on preallocated ND4J arrays of the same
 *       shapes: the floor of a gradient that runs its first layer as dense GEMMs.
 * </ul>
 *
 * The rows have MNIST's 19 % non-zeros, so {@code gradient} and {@code evaluate} take the
 * zero-skipping first layer (Network's heap loops over the non-zeros instead of {@code X·W0} and
 * {@code Xᵀ·dZ0}; batches of at most 256 rows); {@code gradient < gemmOnly} means skipping zeros
 * beats even the bare GEMMs.
 *
 * GEMM work per gradient: {@link #gradientFlops} = {@code 2·n·(784·256 + 256·10)} forward, the
 * same for the weight gradients, plus {@code 2·n·256·10} for the hidden layer's input gradient.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DenseGradientBench {

  /** Rows per batch: 128 is one partition's share of W1's global batch 256. */
  @Param({"128", "256"})
  public int batch;

  private Network network;
  private float[] params;
  private float[] grad;
  private DenseBlock block;

  // gemmOnly's operands, shaped as in Network's forward and backward passes.
  private INDArray x;
  private INDArray w0;
  private INDArray h0;
  private INDArray w1;
  private INDArray h1;
  private INDArray d1;
  private INDArray gw1;
  private INDArray d0;
  private INDArray gw0;

  @Setup
  public void setUp() {
    BenchData.configureNativeThreads();
    ModelSpec spec = BenchData.w1Spec();
    network = new Network(spec);
    params = new float[spec.numParams()];
    network.init(params, 42);
    grad = new float[params.length];
    block = BenchData.mnistLike(batch, 7);

    int in = BenchData.MNIST_FEATURES;
    int hidden = 256;
    int k = 10;
    x = Nd4j.create(block.features(), new long[] {batch, in}, DataType.FLOAT);
    w0 = Nd4j.rand(DataType.FLOAT, in, hidden).subi(0.5);
    h0 = Nd4j.create(DataType.FLOAT, batch, hidden);
    w1 = Nd4j.rand(DataType.FLOAT, hidden, k).subi(0.5);
    h1 = Nd4j.create(DataType.FLOAT, batch, k);
    d1 = Nd4j.rand(DataType.FLOAT, batch, k).subi(0.5);
    gw1 = Nd4j.create(DataType.FLOAT, hidden, k);
    d0 = Nd4j.create(DataType.FLOAT, batch, hidden);
    gw0 = Nd4j.create(DataType.FLOAT, in, hidden);
  }

  @Benchmark
  public double gradient() {
    return network.gradient(params, block, grad);
  }

  @Benchmark
  public double evaluate() {
    return network.evaluate(params, block).lossSum();
  }

  @Benchmark
  public INDArray gemmOnly() {
    Nd4j.gemm(x, w0, h0, false, false, 1.0, 0.0);
    Nd4j.gemm(h0, w1, h1, false, false, 1.0, 0.0);
    Nd4j.gemm(h0, d1, gw1, true, false, 1.0, 0.0);
    Nd4j.gemm(d1, w1, d0, false, true, 1.0, 0.0);
    Nd4j.gemm(x, d0, gw0, true, false, 1.0, 0.0);
    return gw0;
  }

  /** Floating-point operations of the forward pass's GEMMs over {@code rows} rows. */
  static double forwardFlops(ParamLayout layout, int rows) {
    double macs = 0;
    for (int l = 0; l < layout.numLayers(); l++) {
      macs += (double) layout.inputSize(l) * layout.outputSize(l);
    }
    return 2.0 * rows * macs;
  }

  /**
   * Floating-point operations of one gradient's GEMMs: forward, weight gradients (as many), and
   * the input gradients of every layer but the first.
   */
  static double gradientFlops(ParamLayout layout, int rows) {
    double inputGrads = 0;
    for (int l = 1; l < layout.numLayers(); l++) {
      inputGrads += 2.0 * rows * layout.inputSize(l) * layout.outputSize(l);
    }
    return 2 * forwardFlops(layout, rows) + inputGrads;
  }
}
