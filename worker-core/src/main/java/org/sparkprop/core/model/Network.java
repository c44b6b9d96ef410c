package org.sparkprop.core.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.data.SparseBlock;

/**
 * Forward pass, loss and backpropagation of a {@link ModelSpec} over a {@link Block} of rows,
 * against a flat parameter vector laid out by {@link ParamLayout}.
 *
 * <p>Layer l computes {@code Z_l = A_{l-1} · W_l + b_l} for the whole batch with one GEMM, then
 * applies the hidden activation in place ({@code A_0} is the input batch). The last layer's
 * {@code Z} are the logits that {@link OutputLoss} reads; the loss and its gradient w.r.t. the
 * logits are computed in double on the heap. Backprop is the transposed GEMMs ({@code dW_l =
 * A_{l-1}ᵀ · dZ_l}, {@code db_l = colsum(dZ_l)} as {@code 1ᵀ · dZ_l}, {@code dA_{l-1} = dZ_l ·
 * W_lᵀ}); the first layer never computes an input gradient. For a {@link SparseBlock} the first layer ({@code X · W_0} and
 * {@code Xᵀ · dZ_0}) runs as plain loops over the CSR arrays directly against the heap parameter
 * and gradient arrays, so the batch is never densified and the (possibly huge) first weight
 * matrix is never copied into ND4J. A dense batch of an MLP with at most {@link
 * NonZeros#MAX_DENSITY} non-zeros (MNIST has 19 %) takes the same heap path over its non-zeros
 * ({@link NonZeros}), with the weight rows as separate arrays so that the loops vectorise; its
 * gradient is bit-identical to that of the same rows in CSR form.
 *
 * <p>Thread-safe: a network holds only its spec; the ND4J buffers live in a per-thread {@link
 * Workspace} keyed by (spec, precision, dense/sparse, batch rows), so concurrent task threads never
 * share one, and a thread reuses its buffers across calls and across Network instances of an equal
 * spec. Construction is cheap.
 */
public final class Network {
  private final ModelSpec spec;
  private final ParamLayout layout;
  private final OutputLoss loss;
  private final Activation activation;
  private final int numLayers;
  private final int k;

  public Network(ModelSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.layout = spec.layout();
    this.loss = spec.loss();
    this.activation = spec.activation();
    this.numLayers = layout.numLayers();
    this.k = spec.numOutputs();
  }

  public ModelSpec spec() {
    return spec;
  }

  /**
   * Drops the ND4J and heap buffers the calling thread has cached for all models (their native
   * memory is freed once garbage collected). Optional: a thread keeps at most a few models' and
   * batch sizes' buffers anyway; call this when a thread is done training, e.g. at the end of a
   * job in a long-lived executor.
   */
  public static void releaseThreadBuffers() {
    Workspace.clearThread();
  }

  /**
   * Fills {@code params} with initial values that depend on {@code seed} only (bit-identical on
   * every JVM and machine): weights of hidden layers with a rectifier activation are He-normal,
   * {@code N(0, 2 / fan_in)}; all other weights, including the output layer and the single layer
   * of the linear models, are Xavier/Glorot-normal, {@code N(0, 2 / (fan_in + fan_out))}; biases
   * are 0. Normals come from {@link SplittableRandom} through the Box-Muller transform with
   * {@link StrictMath}, drawn in flat-vector order.
   */
  public void init(float[] params, long seed) {
    checkLength("params", params.length);
    Gaussian g = new Gaussian(seed);
    for (int l = 0; l < numLayers; l++) {
      int in = layout.inputSize(l);
      int out = layout.outputSize(l);
      boolean he = l < numLayers - 1 && activation.usesHeInit();
      double std = StrictMath.sqrt(he ? 2.0 / in : 2.0 / ((double) in + out));
      int off = layout.weightOffset(l);
      for (int i = 0, n = in * out; i < n; i++) {
        params[off + i] = (float) (std * g.next());
      }
      Arrays.fill(params, layout.biasOffset(l), layout.biasOffset(l) + out, 0f);
    }
  }

  /**
   * Overwrites {@code gradOut} with the gradient of the <em>sum</em> over the batch's rows of the
   * per-example loss (times the row's weight when the batch has weights), and returns that loss
   * sum. Float32 throughout (the loss itself is
   * accumulated in double).
   *
   * @throws IllegalArgumentException if the batch's feature count, an array length or a label
   *     does not fit the model
   */
  public double gradient(float[] params, Block batch, float[] gradOut) {
    return gradient(Precision.FLOAT, params, batch, gradOut);
  }

  /** {@link #gradient(float[], Block, float[])} in double precision, for gradient checks. */
  public double gradient(double[] params, Block batch, double[] gradOut) {
    return gradient(Precision.DOUBLE, params, batch, gradOut);
  }

  /**
   * Loss sum, count, correct classifications (argmax, or logit &gt; 0 for binary cross-entropy)
   * and squared error (regression) of the batch.
   */
  public EvalStats evaluate(float[] params, Block batch) {
    checkInputs(Precision.FLOAT, params, batch);
    checkLabels(batch);
    int n = batch.numRows();
    if (n == 0) {
      return EvalStats.empty();
    }
    Workspace.Rows<float[]> r = forward(Precision.FLOAT, params, batch);
    double lossSum = 0;
    double squaredErrors = 0;
    long correct = 0;
    for (int i = 0; i < n; i++) {
      int off = i * k;
      float y = batch.label(i);
      double l = loss.lossAndGradient(r.logits, off, k, y, null);
      lossSum += l;
      if (loss == OutputLoss.BINARY_CROSS_ENTROPY) {
        correct += (r.logits[off] > 0 ? 1f : 0f) == y ? 1 : 0;
      } else if (k > 1) {
        correct += argmax(r.logits, off, k) == (int) y ? 1 : 0;
        if (loss == OutputLoss.MSE) {
          squaredErrors += l;
        }
      } else {
        double e = r.logits[off] - y;
        squaredErrors += e * e;
      }
    }
    return new EvalStats(lossSum, n, correct, squaredErrors);
  }

  /**
   * Writes {@code numRows * numOutputs} predictions to {@code out} (row-major): class
   * probabilities for cross-entropy models (softmax over the classes, or the single probability
   * of class 1 for binary cross-entropy), raw outputs for MSE models.
   */
  public void predict(float[] params, Block batch, float[] out) {
    checkInputs(Precision.FLOAT, params, batch);
    int n = batch.numRows();
    if (out.length != n * k) {
      throw new IllegalArgumentException(
          "out has " + out.length + " entries, expected numRows * numOutputs = " + n + " * " + k);
    }
    if (n == 0) {
      return;
    }
    Workspace.Rows<float[]> r = forward(Precision.FLOAT, params, batch);
    for (int i = 0; i < n; i++) {
      loss.predict(r.logits, i * k, k, out, i * k);
    }
  }

  private <A> double gradient(Precision<A> p, A params, Block batch, A gradOut) {
    checkInputs(p, params, batch);
    checkLength("gradOut", p.length(gradOut));
    checkLabels(batch);
    int n = batch.numRows();
    if (n == 0) {
      p.zero(gradOut);
      return 0.0;
    }
    Workspace.Rows<A> r = forward(p, params, batch);
    double lossSum = 0;
    float[] weights = batch.weights();
    for (int i = 0; i < n; i++) {
      double l = loss.lossAndGradient(r.logits, i * k, k, batch.label(i), r.dz);
      if (weights != null) { // the row's loss and its gradient, times its weight
        double w = weights[i];
        l *= w;
        for (int j = i * k; j < (i + 1) * k; j++) {
          r.dz[j] *= w;
        }
      }
      lossSum += l;
    }
    p.fromDouble(r.dz, r.out, n * k);
    backward(p, r, batch, gradOut);
    return lossSum;
  }

  /**
   * Writes the {@code numRows * numOutputs} raw outputs (the logits: the last layer before
   * softmax or sigmoid) to {@code out}, row-major.
   */
  public void logits(float[] params, Block batch, float[] out) {
    checkInputs(Precision.FLOAT, params, batch);
    int n = batch.numRows();
    if (out.length != n * k) {
      throw new IllegalArgumentException(
          "out has " + out.length + " entries, expected numRows * numOutputs = " + n + " * " + k);
    }
    if (n == 0) {
      return;
    }
    Workspace.Rows<float[]> r = forward(Precision.FLOAT, params, batch);
    for (int i = 0; i < n * k; i++) {
      out[i] = (float) r.logits[i];
    }
  }

  /** Runs the layers; on return {@code r.logits} holds the n x k logits in double. */
  private <A> Workspace.Rows<A> forward(Precision<A> p, A params, Block batch) {
    boolean sparse = batch instanceof SparseBlock;
    NonZeros nonZeros = sparse ? null : nonZeros((DenseBlock) batch);
    // Skipping zeros, the first layer lives on the heap as for sparse input.
    Workspace<A> ws = Workspace.get(spec, p, sparse || nonZeros != null);
    int n = batch.numRows();
    Workspace.Rows<A> r = ws.rows(n);
    r.nonZeros = nonZeros;
    if (ws.params != null) {
      p.copyIn(params, ws.base, ws.params, layout.numParams() - ws.base);
    }
    if (nonZeros != null) {
      A[] w0 = ws.firstWeightRows();
      p.loadRows(nonZeros, params, layout.weightOffset(0), w0);
      p.zeroSkipForward(nonZeros, w0, params, layout.biasOffset(0), r.firstRows(), r.first);
      p.copyIn(r.first, 0, r.h[0], n * layout.outputSize(0));
    } else if (sparse) {
      int out0 = layout.outputSize(0);
      p.sparseForward(
          (SparseBlock) batch, params, layout.weightOffset(0), layout.biasOffset(0),
          layout.inputSize(0), out0, r.first);
      if (numLayers == 1) {
        p.toDouble(r.first, r.logits, n * k);
        return r;
      }
      p.copyIn(r.first, 0, r.h[0], n * out0);
    } else {
      INDArray x = r.x();
      p.loadFeatures(((DenseBlock) batch).features(), x, r.featureStage());
      affine(x, ws.w[0], ws.b[0], r.h[0]);
    }
    for (int l = 1; l < numLayers; l++) {
      activate(r.h[l - 1]);
      affine(r.h[l - 1], ws.w[l], ws.b[l], r.h[l]);
    }
    p.copyOut(r.h[numLayers - 1], r.out, 0, n * k);
    p.toDouble(r.out, r.logits, n * k);
    return r;
  }

  /**
   * Backprop from the logit gradient in {@code r.out} (precision A); writes the whole of {@code
   * gradOut}.
   */
  private <A> void backward(Precision<A> p, Workspace.Rows<A> r, Block batch, A gradOut) {
    Workspace<A> ws = r.owner();
    boolean sparse = ws.sparse;
    int n = r.n;
    int last = numLayers - 1;
    if (sparse && numLayers == 1) {
      p.sparseBackward(
          (SparseBlock) batch, r.out, gradOut, layout.weightOffset(0), layout.biasOffset(0),
          layout.inputSize(0), k);
      return;
    }
    p.copyIn(r.out, 0, r.d[last], n * k);
    for (int l = last; l >= 1; l--) {
      Nd4j.gemm(r.h[l - 1], r.d[l], ws.gw[l], true, false, 1.0, 0.0);
      columnSums(r, r.d[l], ws.gb[l]);
      Nd4j.gemm(r.d[l], ws.w[l], r.d[l - 1], false, true, 1.0, 0.0);
      activationDerivative(r.h[l - 1], r.d[l - 1]);
    }
    if (r.nonZeros != null) {
      p.copyOut(r.d[0], r.first, 0, n * layout.outputSize(0));
      p.zeroSkipBackward(r.nonZeros, r.first, r.firstRows(), ws.firstGradRows(),
          ws.firstBiasGrad(), gradOut, layout.weightOffset(0), layout.biasOffset(0));
    } else if (sparse) {
      int out0 = layout.outputSize(0);
      p.copyOut(r.d[0], r.first, 0, n * out0);
      p.sparseBackward(
          (SparseBlock) batch, r.first, gradOut, layout.weightOffset(0), layout.biasOffset(0),
          layout.inputSize(0), out0);
    } else {
      Nd4j.gemm(r.x(), r.d[0], ws.gw[0], true, false, 1.0, 0.0);
      columnSums(r, r.d[0], ws.gb[0]);
    }
    p.copyOut(ws.grad, gradOut, ws.base, layout.numParams() - ws.base);
  }

  /**
   * The non-zeros of a dense batch if the first layer should skip its zeros (an MLP whose first
   * layer has at most {@link NonZeros#MAX_FIRST_LAYER} weights, a batch of at most {@link
   * NonZeros#MAX_ROWS} rows, and at most {@link NonZeros#MAX_DENSITY} of the inputs non-zero),
   * else null. Depends on the batch only, so a batch always takes the same path: its gradient is
   * then bit-identical to that of the same rows as a {@link SparseBlock}.
   */
  private NonZeros nonZeros(DenseBlock batch) {
    if (numLayers < 2 || batch.numRows() > NonZeros.MAX_ROWS
        || (long) layout.inputSize(0) * layout.outputSize(0) > NonZeros.MAX_FIRST_LAYER) {
      return null;
    }
    NonZeros nz = NonZeros.forThread();
    return nz.collect(batch.features(), batch.numRows(), batch.numFeatures()) ? nz : null;
  }

  /** Whether the first layer skips the zeros of {@code batch} (see {@link #nonZeros}). */
  boolean skipsZeros(Block batch) {
    return batch instanceof DenseBlock && nonZeros((DenseBlock) batch) != null;
  }

  /**
   * {@code out = colsum(d)}, the bias gradient, as the GEMM {@code 1ᵀ · d}: a third to a fifth
   * of the time of ND4J's sum along dimension 0 at 1,024 – 2,048 rows (0.11 against 0.43 ms and
   * 0.25 against 1.0 – 1.5 ms for 256 columns), in a fixed order, so the same bits every run.
   */
  private static void columnSums(Workspace.Rows<?> r, INDArray d, INDArray out) {
    Nd4j.gemm(r.ones(), d, out, false, false, 1.0, 0.0);
  }

  /** {@code z = a · w + b} with b broadcast over the rows. */
  private static void affine(INDArray a, INDArray w, INDArray b, INDArray z) {
    Nd4j.gemm(a, w, z, false, false, 1.0, 0.0);
    z.addiRowVector(b);
  }

  /** Applies the hidden activation in place. */
  private void activate(INDArray z) {
    switch (activation) {
      case RELU:
        Transforms.relu(z, false);
        break;
      case LEAKY_RELU:
        Transforms.leakyRelu(z, Activation.LEAKY_RELU_SLOPE, false);
        break;
      case TANH:
        Transforms.tanh(z, false);
        break;
      case SIGMOID:
        Transforms.sigmoid(z, false);
        break;
      case IDENTITY:
        break;
      default:
        throw new AssertionError(activation);
    }
  }

  /**
   * Turns {@code d = dLoss/dA} into {@code dLoss/dZ} in place, using the activations {@code a}
   * (which are overwritten: they are not needed any more).
   */
  private void activationDerivative(INDArray a, INDArray d) {
    switch (activation) {
      case RELU: // A > 0 exactly where Z > 0
        d.muli(Transforms.step(a, false));
        break;
      case LEAKY_RELU: // 1 where A > 0, else the slope
        d.muli(Transforms.leakyReluDerivative(a, Activation.LEAKY_RELU_SLOPE, false));
        break;
      case TANH: // 1 - A^2
        d.muli(a.muli(a).rsubi(1.0));
        break;
      case SIGMOID: // A (1 - A)
        d.muli(a);
        d.muli(a.rsubi(1.0));
        break;
      case IDENTITY:
        break;
      default:
        throw new AssertionError(activation);
    }
  }

  private static int argmax(double[] z, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (z[off + j] > z[off + best]) {
        best = j;
      }
    }
    return best;
  }

  private <A> void checkInputs(Precision<A> p, A params, Block batch) {
    Objects.requireNonNull(batch, "batch");
    checkLength("params", p.length(params));
    if (batch.numFeatures() != spec.inputDim()) {
      throw new IllegalArgumentException(
          "batch has " + batch.numFeatures() + " features but the model " + spec.describe()
              + " expects " + spec.inputDim());
    }
    if (!(batch instanceof DenseBlock) && !(batch instanceof SparseBlock)) {
      throw new IllegalArgumentException(
          "unsupported block type " + batch.getClass().getName()
              + ": expected DenseBlock or SparseBlock");
    }
  }

  private void checkLength(String what, int length) {
    if (length != layout.numParams()) {
      throw new IllegalArgumentException(
          what + " has " + length + " entries but the model " + spec.describe() + " has "
              + layout.numParams() + " parameters");
    }
  }

  private void checkLabels(Block batch) {
    for (int i = 0, n = batch.numRows(); i < n; i++) {
      String problem = spec.labelProblem(batch.label(i));
      if (problem != null) {
        throw new IllegalArgumentException("row " + i + " of the batch: " + problem);
      }
    }
  }

  /** Standard normals by the Box-Muller transform, using both values of each pair. */
  private static final class Gaussian {
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    Gaussian(long seed) {
      random = new SplittableRandom(seed);
    }

    double next() {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
      double u2 = random.nextDouble();
      double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double angle = 2.0 * StrictMath.PI * u2;
      spare = radius * StrictMath.sin(angle);
      hasSpare = true;
      return radius * StrictMath.cos(angle);
    }
  }
}
