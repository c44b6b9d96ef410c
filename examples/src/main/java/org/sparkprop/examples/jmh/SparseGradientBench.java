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
import org.sparkprop.core.data.SparseBlock;
import org.sparkprop.core.model.Activation;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.model.OutputLoss;

/**
 * {@link Network#gradient} on CSR batches of {@value #ROWS} rows with {@value #NNZ} non-zeros each
 * (columns uniform, values in (0, 1]): the first layer runs as heap loops over the CSR arrays.
 *
 * <ul>
 *   <li>{@code logisticRegression}: 2^20 features, one output, binary cross-entropy;
 *   <li>{@code sparseMlp}: MLP 2^16-64-2 ReLU, softmax cross-entropy (the hidden and output
 *       layers in ND4J).
 * </ul>
 *
 * Both write a dense gradient of every parameter ({@code gradOut} is overwritten whole), so the
 * cost has a part proportional to the model size, not to the batch's non-zeros.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SparseGradientBench {
  static final int ROWS = 128;
  static final int NNZ = 50;
  static final int LOGREG_FEATURES = 1 << 20;
  static final int MLP_FEATURES = 1 << 16;
  static final int MLP_HIDDEN = 64;

  /** A model, its parameters, a gradient buffer and one batch. */
  abstract static class Case {
    Network network;
    float[] params;
    float[] grad;
    SparseBlock batch;

    void build(ModelSpec spec, int classes) {
      BenchData.configureNativeThreads();
      network = new Network(spec);
      params = new float[spec.numParams()];
      network.init(params, 42);
      grad = new float[params.length];
      batch = BenchData.sparseRows(ROWS, spec.inputDim(), NNZ, classes, 11);
    }

    double gradient() {
      return network.gradient(params, batch, grad);
    }
  }

  /** Logistic regression over 2^20 features. */
  @State(Scope.Thread)
  public static class LogReg extends Case {
    @Setup
    public void setUp() {
      build(ModelSpec.logisticRegression(LOGREG_FEATURES), 2);
    }
  }

  /** MLP 2^16-64-2 ReLU. */
  @State(Scope.Thread)
  public static class Mlp extends Case {
    @Setup
    public void setUp() {
      build(ModelSpec.mlp(MLP_FEATURES, new int[] {MLP_HIDDEN}, Activation.RELU, 2,
          OutputLoss.SOFTMAX_CROSS_ENTROPY), 2);
    }
  }

  @Benchmark
  public double logisticRegression(LogReg s) {
    return s.gradient();
  }

  @Benchmark
  public double sparseMlp(Mlp s) {
    return s.gradient();
  }
}
