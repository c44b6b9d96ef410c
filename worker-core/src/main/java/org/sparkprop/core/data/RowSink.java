package org.sparkprop.core.data;

/**
 * Packs parsed rows into blocks of at most {@code blockRows} rows, growing flat arrays as rows
 * arrive: no per-row object survives. Dense or sparse is chosen at construction.
 */
public final class RowSink {
  private final int numFeatures;
  private final boolean sparse;
  private float[] values = new float[1024];
  private int[] indices; // sparse only
  private int[] indptr; // sparse only
  private float[] labels = new float[64];
  private float[] weights; // null until a row has a weight
  private int rows;
  private int used;

  private RowSink(int numFeatures, boolean sparse) {
    if (numFeatures <= 0) {
      throw new IllegalArgumentException("numFeatures must be > 0, got " + numFeatures);
    }
    this.numFeatures = numFeatures;
    this.sparse = sparse;
    if (sparse) {
      indices = new int[1024];
      indptr = new int[65];
    }
  }

  /** A sink for dense rows of {@code numFeatures} values. */
  public static RowSink dense(int numFeatures) {
    return new RowSink(numFeatures, false);
  }

  /** A sink for sparse rows over {@code numFeatures} columns. */
  public static RowSink sparse(int numFeatures) {
    return new RowSink(numFeatures, true);
  }

  /** Feature count of the rows this sink packs. */
  public int numFeatures() {
    return numFeatures;
  }

  /** Rows added since the last {@link #finish}. */
  public int numRows() {
    return rows;
  }

  /** Appends one dense row with a weight (see {@link Block#weight}). */
  public void addDense(float[] x, float label, float weight) {
    addDense(x, label);
    setWeight(weight);
  }

  /** Appends one sparse row with a weight (see {@link Block#weight}). */
  public void addSparse(int[] idx, float[] val, int nnz, float label, float weight) {
    addSparse(idx, val, nnz, label);
    setWeight(weight);
  }

  /**
   * Gives the row just added its weight. A sink's rows are all weighted or none: the first
   * weighted row starts the weights (rows before it weigh 1).
   */
  private void setWeight(float weight) {
    if (weights == null) {
      weights = new float[labels.length];
      java.util.Arrays.fill(weights, 0, rows - 1, 1f);
    } else if (weights.length < labels.length) {
      weights = java.util.Arrays.copyOf(weights, labels.length);
    }
    weights[rows - 1] = weight;
  }

  /** Appends one dense row (the first {@code numFeatures} values of {@code x}). */
  public void addDense(float[] x, float label) {
    if (sparse) {
      throw new IllegalStateException("this sink packs sparse rows");
    }
    ensureValues(used + numFeatures);
    System.arraycopy(x, 0, values, used, numFeatures);
    used += numFeatures;
    addLabel(label);
  }

  /** Appends one sparse row: {@code nnz} strictly increasing column indices and their values. */
  public void addSparse(int[] idx, float[] val, int nnz, float label) {
    if (!sparse) {
      throw new IllegalStateException("this sink packs dense rows");
    }
    ensureValues(used + nnz);
    if (indices.length < used + nnz) {
      indices = java.util.Arrays.copyOf(indices, Math.max(used + nnz, indices.length * 2));
    }
    System.arraycopy(idx, 0, indices, used, nnz);
    System.arraycopy(val, 0, values, used, nnz);
    used += nnz;
    if (indptr.length < rows + 2) {
      indptr = java.util.Arrays.copyOf(indptr, indptr.length * 2);
    }
    indptr[rows + 1] = used;
    addLabel(label);
  }

  private void addLabel(float label) {
    if (labels.length == rows) {
      labels = java.util.Arrays.copyOf(labels, rows * 2);
    }
    labels[rows++] = label;
    if (weights != null) {
      if (weights.length < labels.length) {
        weights = java.util.Arrays.copyOf(weights, labels.length);
      }
      weights[rows - 1] = 1f;
    }
  }

  private void ensureValues(int needed) {
    if (values.length < needed) {
      values = java.util.Arrays.copyOf(values, Math.max(needed, values.length * 2));
    }
  }

  /** Builds a block of the rows added so far (trimmed arrays) and empties the sink. */
  public Block finish() {
    Block block;
    if (sparse) {
      block = new SparseBlock(rows, numFeatures, java.util.Arrays.copyOf(indptr, rows + 1),
          java.util.Arrays.copyOf(indices, used), java.util.Arrays.copyOf(values, used),
          java.util.Arrays.copyOf(labels, rows));
    } else {
      block = new DenseBlock(rows, numFeatures, java.util.Arrays.copyOf(values, used),
          java.util.Arrays.copyOf(labels, rows));
    }
    if (weights != null) {
      block = block.withWeights(java.util.Arrays.copyOf(weights, rows));
      weights = null;
    }
    rows = 0;
    used = 0;
    return block;
  }
}
