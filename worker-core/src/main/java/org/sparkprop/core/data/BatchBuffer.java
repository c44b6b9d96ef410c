package org.sparkprop.core.data;

/**
 * Arrays that a thread's dense mini-batches are gathered into, step after step, instead of new
 * ones each time: a task's batch of 2,048 MNIST rows is 6.4 MB, which would otherwise be
 * allocated, zeroed and collected every step. A block gathered into a buffer is valid until the
 * next gather into the same buffer; use one buffer per thread ({@link #forThread}).
 */
public final class BatchBuffer {
  private static final ThreadLocal<BatchBuffer> THREAD = ThreadLocal.withInitial(BatchBuffer::new);

  private float[] features = new float[0];
  private float[] labels = new float[0];
  private float[] weights = new float[0];

  /** The calling thread's buffer. */
  public static BatchBuffer forThread() {
    return THREAD.get();
  }

  float[] features(int length) {
    return features = sized(features, length);
  }

  float[] labels(int length) {
    return labels = sized(labels, length);
  }

  float[] weights(int length) {
    return weights = sized(weights, length);
  }

  /** {@code array} if it has {@code length} entries, else a new array of that length. */
  private static float[] sized(float[] array, int length) {
    return array.length == length ? array : new float[length];
  }
}
