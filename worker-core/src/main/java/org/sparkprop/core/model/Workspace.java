package org.sparkprop.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Preallocated ND4J buffers of one thread for one (model, precision, input kind), so that a
 * training step allocates no INDArray once warm.
 *
 * <p>{@link #params} and {@link #grad} are flat root arrays holding the parameter vector from flat
 * index {@link #base} on; {@code w[l]}, {@code b[l]}, {@code gw[l]}, {@code gb[l]} are views into
 * them ({@code W_l} as (in, out) row-major, {@code b_l} as a (1, out) row vector). For dense input
 * {@code base} is 0. For sparse input the first layer lives on the Java heap only (its input
 * dimension may be huge), so {@code base = weightOffset(1)} and the layer-0 views are null.
 *
 * <p>Per batch row count there is a {@link Rows} set of activation buffers. Both levels are small
 * LRU caches, so a thread that sees a few batch sizes (e.g. a short last batch) keeps all of them.
 * The buffers are native memory, detached from any ND4J workspace, and freed by ND4J's
 * deallocator when evicted and garbage collected.
 *
 * <p>Instances are confined to their thread (held in a {@link ThreadLocal}); nothing here is
 * shared across threads.
 *
 * @param <A> heap array type of the precision
 */
final class Workspace<A> {

  /** Most (model, precision, input kind) entries a thread keeps. */
  private static final int MAX_MODELS = 4;

  /** Most batch row counts a thread keeps per model entry. */
  private static final int MAX_ROW_COUNTS = 4;

  private record Key(ModelSpec spec, Precision<?> precision, boolean sparse) {}

  private static final ThreadLocal<Map<Key, Workspace<?>>> CACHE =
      ThreadLocal.withInitial(() -> lru(MAX_MODELS));

  final Precision<A> precision;
  final ParamLayout layout;
  final boolean sparse;
  final int base;
  /** Parameters from flat index {@code base} on; null if the ND4J part holds none. */
  final INDArray params;
  /** Gradient from flat index {@code base} on; null if the ND4J part holds none. */
  final INDArray grad;
  final INDArray[] w;
  final INDArray[] b;
  final INDArray[] gw;
  final INDArray[] gb;
  private final Map<Integer, Rows<A>> rows = lru(MAX_ROW_COUNTS);
  private A[] firstWeightRows;
  private A[] firstGradRows;
  private A firstBiasGrad;

  /** The calling thread's buffers for this model, precision and input kind. */
  @SuppressWarnings("unchecked")
  static <A> Workspace<A> get(ModelSpec spec, Precision<A> precision, boolean sparse) {
    Map<Key, Workspace<?>> cache = CACHE.get();
    Key key = new Key(spec, precision, sparse);
    Workspace<?> ws = cache.get(key);
    if (ws == null) {
      ws = new Workspace<>(spec.layout(), precision, sparse);
      cache.put(key, ws);
    }
    return (Workspace<A>) ws;
  }

  /** Drops the calling thread's buffers (all models); the next call allocates afresh. */
  static void clearThread() {
    CACHE.remove();
    NonZeros.clearThread();
  }

  private Workspace(ParamLayout layout, Precision<A> precision, boolean sparse) {
    this.precision = precision;
    this.layout = layout;
    this.sparse = sparse;
    int layers = layout.numLayers();
    this.base = !sparse ? 0 : layers > 1 ? layout.weightOffset(1) : layout.numParams();
    int held = layout.numParams() - base;
    w = new INDArray[layers];
    b = new INDArray[layers];
    gw = new INDArray[layers];
    gb = new INDArray[layers];
    MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    try {
      params = held > 0 ? Nd4j.create(precision.dataType(), held) : null;
      grad = held > 0 ? Nd4j.create(precision.dataType(), held) : null;
      for (int l = sparse ? 1 : 0; l < layers; l++) {
        w[l] = matrixView(params, layout.weightOffset(l) - base, layout.inputSize(l), layout.outputSize(l));
        b[l] = matrixView(params, layout.biasOffset(l) - base, 1, layout.outputSize(l));
        gw[l] = matrixView(grad, layout.weightOffset(l) - base, layout.inputSize(l), layout.outputSize(l));
        gb[l] = matrixView(grad, layout.biasOffset(l) - base, 1, layout.outputSize(l));
      }
    } finally {
      scope.close();
    }
  }

  /** A row-major (rows x cols) view of {@code flat}'s buffer starting at element {@code offset}. */
  private INDArray matrixView(INDArray flat, long offset, long rowCount, long cols) {
    return Nd4j.create(
        flat.data(), new long[] {rowCount, cols}, new long[] {cols, 1}, offset, 'c',
        precision.dataType());
  }

  /**
   * The zero-skipping first layer's W_0 rows (inputSize(0) arrays of outputSize(0)), created on
   * first use; only with sparse-style buffers ({@code base > 0}).
   */
  A[] firstWeightRows() {
    if (firstWeightRows == null) {
      firstWeightRows = precision.allocateRows(layout.inputSize(0), layout.outputSize(0));
    }
    return firstWeightRows;
  }

  /** Scratch rows for the zero-skipping first layer's weight gradient, like {@link #firstWeightRows}. */
  A[] firstGradRows() {
    if (firstGradRows == null) {
      firstGradRows = precision.allocateRows(layout.inputSize(0), layout.outputSize(0));
    }
    return firstGradRows;
  }

  /** Scratch for the zero-skipping first layer's bias gradient (outputSize(0) entries). */
  A firstBiasGrad() {
    if (firstBiasGrad == null) {
      firstBiasGrad = precision.allocate(layout.outputSize(0));
    }
    return firstBiasGrad;
  }

  /** The activation buffers for batches of {@code n >= 1} rows. */
  Rows<A> rows(int n) {
    Rows<A> r = rows.get(n);
    if (r == null) {
      r = new Rows<>(this, n);
      rows.put(n, r);
    }
    return r;
  }

  /**
   * Buffers for one batch row count {@code n}. {@code h[l]} (n x out_l) holds layer l's
   * pre-activation, then its activation, and during backprop its activation derivative; {@code
   * d[l]} (n x out_l) holds the loss gradient w.r.t. layer l's pre-activation. The heap arrays
   * hold the sparse first layer's output ({@code first}) and the logits / their gradient ({@code
   * out}, {@code logits}, {@code dz}; n x k).
   */
  static final class Rows<A> {
    final int n;
    final INDArray[] h;
    final INDArray[] d;
    final A out;
    final double[] logits;
    final double[] dz;
    /** Sparse first-layer pre-activations / their gradient (n x out_0); null for dense. */
    final A first;
    private final Workspace<A> owner;
    private INDArray x;
    private INDArray ones;
    private A featureStage;
    private A[] firstRows;
    /** The non-zeros the last forward pass skipped zeros with, or null if it did not. */
    NonZeros nonZeros;

    private Rows(Workspace<A> owner, int n) {
      this.owner = owner;
      this.n = n;
      ParamLayout layout = owner.layout;
      int layers = layout.numLayers();
      int k = layout.outputSize(layers - 1);
      h = new INDArray[layers];
      d = new INDArray[layers];
      MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
      try {
        // With sparse input and a single layer, everything happens on the heap.
        for (int l = owner.sparse && layers == 1 ? 1 : 0; l < layers; l++) {
          h[l] = Nd4j.create(owner.precision.dataType(), n, layout.outputSize(l));
          d[l] = Nd4j.create(owner.precision.dataType(), n, layout.outputSize(l));
        }
      } finally {
        scope.close();
      }
      out = owner.precision.allocate(n * k);
      logits = new double[n * k];
      dz = new double[n * k];
      first = owner.sparse ? owner.precision.allocate(n * layout.outputSize(0)) : null;
    }

    /** The workspace these buffers belong to. */
    Workspace<A> owner() {
      return owner;
    }

    /** A (1 x n) row of ones, for column sums as a GEMM; created on first use. */
    INDArray ones() {
      if (ones == null) {
        MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
          ones = Nd4j.ones(owner.precision.dataType(), 1, n);
        } finally {
          scope.close();
        }
      }
      return ones;
    }

    /** The dense input buffer (n x inputDim), created on first use. */
    INDArray x() {
      if (x == null) {
        MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
          x = Nd4j.create(owner.precision.dataType(), n, owner.layout.inputSize(0));
        } finally {
          scope.close();
        }
      }
      return x;
    }

    /** The first layer's output (or its gradient) as n row arrays, created on first use. */
    A[] firstRows() {
      if (firstRows == null) {
        firstRows = owner.precision.allocateRows(n, owner.layout.outputSize(0));
      }
      return firstRows;
    }

    /** Scratch for converting float32 features, or null if the precision needs none. */
    A featureStage() {
      if (featureStage == null && owner.precision.needsFeatureStage()) {
        featureStage = owner.precision.allocate(n * owner.layout.inputSize(0));
      }
      return featureStage;
    }
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<K, V>(8, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
