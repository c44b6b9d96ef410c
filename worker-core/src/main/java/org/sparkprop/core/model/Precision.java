package org.sparkprop.core.model;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkprop.core.data.SparseBlock;

/**
 * What differs between the float32 training path and the float64 gradient-check path: the ND4J
 * data type, the heap array type {@code A} ({@code float[]} or {@code double[]}), bulk copies
 * between heap arrays and native ND4J buffers, and the sparse first-layer loops. Everything else
 * in {@link Network} is written once against this class.
 *
 * <p>The copy methods take <em>root</em> arrays only (arrays created by {@link Workspace}, never
 * views): they address the native buffer from its start.
 *
 * @param <A> the heap array type
 */
abstract class Precision<A> {

  static final Precision<float[]> FLOAT = new Float32();
  static final Precision<double[]> DOUBLE = new Float64();

  abstract DataType dataType();

  abstract int length(A a);

  abstract A allocate(int n);

  /** Sets every entry of {@code a} to zero. */
  abstract void zero(A a);

  /** Copies {@code src[srcOff .. srcOff + len)} to the start of {@code dst}'s buffer. */
  abstract void copyIn(A src, int srcOff, INDArray dst, int len);

  /** Copies the first {@code len} values of {@code src}'s buffer to {@code dst[dstOff ..)}. */
  abstract void copyOut(INDArray src, A dst, int dstOff, int len);

  /**
   * Copies float32 features into {@code dst}, converting through {@code stage} if needed.
   *
   * @param stage a scratch array of {@code src.length} values, or null if {@link
   *     #needsFeatureStage()} is false
   */
  abstract void loadFeatures(float[] src, INDArray dst, A stage);

  abstract boolean needsFeatureStage();

  abstract void toDouble(A src, double[] dst, int n);

  abstract void fromDouble(double[] src, A dst, int n);

  /**
   * First layer on a CSR batch: {@code z[r * out + j] = b[j] + sum_k values[k] W[indices[k]][j]},
   * reading {@code W} (in x out, row-major) at {@code params[wOff ..)} and {@code b} at {@code
   * params[bOff ..)}. Never densifies the batch.
   *
   * @throws IllegalArgumentException if a column index is outside {@code [0, in)}
   */
  abstract void sparseForward(SparseBlock x, A params, int wOff, int bOff, int in, int out, A z);

  /**
   * First-layer gradient on a CSR batch: overwrites {@code grad}'s W region with {@code Xᵀ · dz}
   * and its b region with the column sums of {@code dz} (rows x out, row-major).
   */
  abstract void sparseBackward(SparseBlock x, A dz, A grad, int wOff, int bOff, int in, int out);

  /**
   * A {@code rows x cols} matrix as one array per row. The zero-skipping kernels work on rows
   * because C2 (JDK 17) vectorises {@code y[j] += a * x[j]} only when both arrays are indexed
   * by the loop variable itself: the same loop over one flat array at two different offsets
   * runs scalar, about 8x slower (measured).
   */
  abstract A[] allocateRows(int rows, int cols);

  /**
   * Copies row c of the (numFeatures x out) row-major matrix at {@code params[wOff ..)} into
   * {@code w[c]}, for the columns {@code x} touches (the other rows are not read).
   */
  abstract void loadRows(NonZeros x, A params, int wOff, A[] w);

  /**
   * Zero-skipping first layer, forward: {@code z[r] = b + sum_k values[k] W[columns[k]]} over
   * row r's non-zeros, in order, with {@code W}'s rows in {@code w} and {@code b} at {@code
   * params[bOff ..)}; then {@code z} row-major into {@code flat}. The same operations in the
   * same order as {@link #sparseForward} on the CSR form of the batch, so the same bits.
   */
  abstract void zeroSkipForward(NonZeros x, A[] w, A params, int bOff, A[] z, A flat);

  /**
   * Zero-skipping first layer, weight gradient, from {@code dz} (n x out, row-major in {@code
   * flat}; {@code rows} is scratch for its rows): overwrites {@code grad}'s W region with {@code
   * Xᵀ · dz} and its b region with the column sums of {@code dz}, with {@code gw} and {@code gb}
   * as scratch. The same operations in the same order as {@link #sparseBackward}.
   */
  abstract void zeroSkipBackward(
      NonZeros x, A flat, A[] rows, A[] gw, A gb, A grad, int wOff, int bOff);

  static void checkColumn(int c, int in, int row) {
    if (c < 0 || c >= in) {
      throw new IllegalArgumentException(
          "row " + row + " of the sparse batch has feature index " + c
              + ", outside the model's input range [0, " + in + ")");
    }
  }

  private static final class Float32 extends Precision<float[]> {
    @Override
    DataType dataType() {
      return DataType.FLOAT;
    }

    @Override
    int length(float[] a) {
      return a.length;
    }

    @Override
    float[] allocate(int n) {
      return new float[n];
    }

    @Override
    void zero(float[] a) {
      Arrays.fill(a, 0f);
    }

    @Override
    void copyIn(float[] src, int srcOff, INDArray dst, int len) {
      ((FloatPointer) dst.data().addressPointer()).put(src, srcOff, len);
    }

    @Override
    void copyOut(INDArray src, float[] dst, int dstOff, int len) {
      ((FloatPointer) src.data().addressPointer()).get(dst, dstOff, len);
    }

    @Override
    void loadFeatures(float[] src, INDArray dst, float[] stage) {
      copyIn(src, 0, dst, src.length);
    }

    @Override
    boolean needsFeatureStage() {
      return false;
    }

    @Override
    void toDouble(float[] src, double[] dst, int n) {
      for (int i = 0; i < n; i++) {
        dst[i] = src[i];
      }
    }

    @Override
    void fromDouble(double[] src, float[] dst, int n) {
      for (int i = 0; i < n; i++) {
        dst[i] = (float) src[i];
      }
    }

    @Override
    void sparseForward(SparseBlock x, float[] p, int wOff, int bOff, int in, int out, float[] z) {
      int[] ptr = x.indptr();
      int[] idx = x.indices();
      float[] val = x.values();
      for (int r = 0; r < x.numRows(); r++) {
        int zo = r * out;
        System.arraycopy(p, bOff, z, zo, out);
        for (int k = ptr[r]; k < ptr[r + 1]; k++) {
          int c = idx[k];
          checkColumn(c, in, r);
          float v = val[k];
          int wo = wOff + c * out;
          for (int j = 0; j < out; j++) {
            z[zo + j] += v * p[wo + j];
          }
        }
      }
    }

    @Override
    void sparseBackward(SparseBlock x, float[] dz, float[] g, int wOff, int bOff, int in, int out) {
      Arrays.fill(g, wOff, wOff + in * out, 0f);
      Arrays.fill(g, bOff, bOff + out, 0f);
      int[] ptr = x.indptr();
      int[] idx = x.indices();
      float[] val = x.values();
      for (int r = 0; r < x.numRows(); r++) {
        int zo = r * out;
        for (int j = 0; j < out; j++) {
          g[bOff + j] += dz[zo + j];
        }
        for (int k = ptr[r]; k < ptr[r + 1]; k++) {
          float v = val[k];
          int go = wOff + idx[k] * out;
          for (int j = 0; j < out; j++) {
            g[go + j] += v * dz[zo + j];
          }
        }
      }
    }

    @Override
    float[][] allocateRows(int rows, int cols) {
      return new float[rows][cols];
    }

    @Override
    void loadRows(NonZeros x, float[] p, int wOff, float[][] w) {
      for (int c = 0; c < x.numFeatures; c++) {
        if (x.touched[c]) {
          System.arraycopy(p, wOff + c * w[c].length, w[c], 0, w[c].length);
        }
      }
    }

    @Override
    void zeroSkipForward(NonZeros x, float[][] w, float[] p, int bOff, float[][] z, float[] flat) {
      int[] start = x.rowStart;
      int[] cols = x.columns;
      float[] vals = x.values;
      for (int r = 0; r < x.numRows; r++) {
        float[] zr = z[r];
        System.arraycopy(p, bOff, zr, 0, zr.length);
        for (int k = start[r]; k < start[r + 1]; k++) {
          axpy(vals[k], w[cols[k]], zr);
        }
        System.arraycopy(zr, 0, flat, r * zr.length, zr.length);
      }
    }

    @Override
    void zeroSkipBackward(NonZeros x, float[] flat, float[][] rows, float[][] gw, float[] gb,
        float[] g, int wOff, int bOff) {
      int out = gb.length;
      for (int c = 0; c < x.numFeatures; c++) {
        if (x.touched[c]) {
          Arrays.fill(gw[c], 0f);
        }
      }
      Arrays.fill(gb, 0f);
      int[] start = x.rowStart;
      int[] cols = x.columns;
      float[] vals = x.values;
      for (int r = 0; r < x.numRows; r++) {
        float[] dr = rows[r];
        System.arraycopy(flat, r * out, dr, 0, out);
        axpy(1f, dr, gb); // 1·d is exact: gb[j] += d[j]
        for (int k = start[r]; k < start[r + 1]; k++) {
          axpy(vals[k], dr, gw[cols[k]]);
        }
      }
      for (int c = 0; c < x.numFeatures; c++) {
        int o = wOff + c * out;
        if (x.touched[c]) {
          System.arraycopy(gw[c], 0, g, o, out);
        } else {
          Arrays.fill(g, o, o + out, 0f);
        }
      }
      System.arraycopy(gb, 0, g, bOff, out);
    }

    /** {@code y[j] += a * x[j]} for j in [0, y.length): C2 vectorises this loop. */
    private static void axpy(float a, float[] x, float[] y) {
      for (int j = 0; j < y.length; j++) {
        y[j] += a * x[j];
      }
    }
  }

  private static final class Float64 extends Precision<double[]> {
    @Override
    DataType dataType() {
      return DataType.DOUBLE;
    }

    @Override
    int length(double[] a) {
      return a.length;
    }

    @Override
    double[] allocate(int n) {
      return new double[n];
    }

    @Override
    void zero(double[] a) {
      Arrays.fill(a, 0.0);
    }

    @Override
    void copyIn(double[] src, int srcOff, INDArray dst, int len) {
      ((DoublePointer) dst.data().addressPointer()).put(src, srcOff, len);
    }

    @Override
    void copyOut(INDArray src, double[] dst, int dstOff, int len) {
      ((DoublePointer) src.data().addressPointer()).get(dst, dstOff, len);
    }

    @Override
    void loadFeatures(float[] src, INDArray dst, double[] stage) {
      for (int i = 0; i < src.length; i++) {
        stage[i] = src[i];
      }
      copyIn(stage, 0, dst, src.length);
    }

    @Override
    boolean needsFeatureStage() {
      return true;
    }

    @Override
    void toDouble(double[] src, double[] dst, int n) {
      System.arraycopy(src, 0, dst, 0, n);
    }

    @Override
    void fromDouble(double[] src, double[] dst, int n) {
      System.arraycopy(src, 0, dst, 0, n);
    }

    @Override
    void sparseForward(SparseBlock x, double[] p, int wOff, int bOff, int in, int out, double[] z) {
      int[] ptr = x.indptr();
      int[] idx = x.indices();
      float[] val = x.values();
      for (int r = 0; r < x.numRows(); r++) {
        int zo = r * out;
        System.arraycopy(p, bOff, z, zo, out);
        for (int k = ptr[r]; k < ptr[r + 1]; k++) {
          int c = idx[k];
          checkColumn(c, in, r);
          double v = val[k];
          int wo = wOff + c * out;
          for (int j = 0; j < out; j++) {
            z[zo + j] += v * p[wo + j];
          }
        }
      }
    }

    @Override
    void sparseBackward(
        SparseBlock x, double[] dz, double[] g, int wOff, int bOff, int in, int out) {
      Arrays.fill(g, wOff, wOff + in * out, 0.0);
      Arrays.fill(g, bOff, bOff + out, 0.0);
      int[] ptr = x.indptr();
      int[] idx = x.indices();
      float[] val = x.values();
      for (int r = 0; r < x.numRows(); r++) {
        int zo = r * out;
        for (int j = 0; j < out; j++) {
          g[bOff + j] += dz[zo + j];
        }
        for (int k = ptr[r]; k < ptr[r + 1]; k++) {
          double v = val[k];
          int go = wOff + idx[k] * out;
          for (int j = 0; j < out; j++) {
            g[go + j] += v * dz[zo + j];
          }
        }
      }
    }

    @Override
    double[][] allocateRows(int rows, int cols) {
      return new double[rows][cols];
    }

    @Override
    void loadRows(NonZeros x, double[] p, int wOff, double[][] w) {
      for (int c = 0; c < x.numFeatures; c++) {
        if (x.touched[c]) {
          System.arraycopy(p, wOff + c * w[c].length, w[c], 0, w[c].length);
        }
      }
    }

    @Override
    void zeroSkipForward(NonZeros x, double[][] w, double[] p, int bOff, double[][] z, double[] flat) {
      int[] start = x.rowStart;
      int[] cols = x.columns;
      float[] vals = x.values;
      for (int r = 0; r < x.numRows; r++) {
        double[] zr = z[r];
        System.arraycopy(p, bOff, zr, 0, zr.length);
        for (int k = start[r]; k < start[r + 1]; k++) {
          axpy(vals[k], w[cols[k]], zr);
        }
        System.arraycopy(zr, 0, flat, r * zr.length, zr.length);
      }
    }

    @Override
    void zeroSkipBackward(NonZeros x, double[] flat, double[][] rows, double[][] gw, double[] gb,
        double[] g, int wOff, int bOff) {
      int out = gb.length;
      for (int c = 0; c < x.numFeatures; c++) {
        if (x.touched[c]) {
          Arrays.fill(gw[c], 0.0);
        }
      }
      Arrays.fill(gb, 0.0);
      int[] start = x.rowStart;
      int[] cols = x.columns;
      float[] vals = x.values;
      for (int r = 0; r < x.numRows; r++) {
        double[] dr = rows[r];
        System.arraycopy(flat, r * out, dr, 0, out);
        axpy(1.0, dr, gb); // 1·d is exact: gb[j] += d[j]
        for (int k = start[r]; k < start[r + 1]; k++) {
          axpy(vals[k], dr, gw[cols[k]]);
        }
      }
      for (int c = 0; c < x.numFeatures; c++) {
        int o = wOff + c * out;
        if (x.touched[c]) {
          System.arraycopy(gw[c], 0, g, o, out);
        } else {
          Arrays.fill(g, o, o + out, 0.0);
        }
      }
      System.arraycopy(gb, 0, g, bOff, out);
    }

    /** {@code y[j] += a * x[j]} for j in [0, y.length): C2 vectorises this loop. */
    private static void axpy(double a, double[] x, double[] y) {
      for (int j = 0; j < y.length; j++) {
        y[j] += a * x[j];
      }
    }
  }
}
