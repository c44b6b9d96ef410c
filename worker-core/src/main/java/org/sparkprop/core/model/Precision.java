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
  }
}
