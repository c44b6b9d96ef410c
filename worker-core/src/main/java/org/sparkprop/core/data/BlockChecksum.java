package org.sparkprop.core.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.zip.CRC32C;

/**
 * A CRC-32C over the contents of blocks, as little-endian bytes: each block's shape, its
 * feature arrays (dense values, or CSR row pointers, indices and values), its labels and
 * its weights when it has some. Equal
 * rows packed into equal blocks give the same checksum on every JVM; a changed value, row or
 * shape changes it (with the certainty of a 32-bit checksum per partition). Not thread-safe.
 */
public final class BlockChecksum {
  private static final int CHUNK = 1 << 14; // values per conversion buffer (64 KiB)

  private final CRC32C crc = new CRC32C();
  private final ByteBuffer bytes = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
  private final FloatBuffer floats = bytes.asFloatBuffer();
  private final IntBuffer ints = bytes.asIntBuffer();

  /** Adds one block. */
  public BlockChecksum add(Block b) {
    ints.clear();
    ints.put(b.numRows()).put(b.numFeatures()).put(b instanceof SparseBlock ? 1 : 0);
    crc.update(bytes.array(), 0, 12);
    if (b instanceof SparseBlock) {
      SparseBlock s = (SparseBlock) b;
      add(s.indptr());
      add(s.indices());
      add(s.values());
      add(s.labels());
    } else {
      DenseBlock d = (DenseBlock) b;
      add(d.features());
      add(d.labels());
    }
    if (b.weights() != null) {
      add(b.weights()); // only when present: unweighted data keeps its checksums
    }
    return this;
  }

  /** The checksum of everything added so far. */
  public long value() {
    return crc.getValue();
  }

  private void add(float[] a) {
    for (int from = 0; from < a.length; from += CHUNK) {
      int n = Math.min(CHUNK, a.length - from);
      floats.clear();
      floats.put(a, from, n);
      crc.update(bytes.array(), 0, 4 * n);
    }
  }

  private void add(int[] a) {
    for (int from = 0; from < a.length; from += CHUNK) {
      int n = Math.min(CHUNK, a.length - from);
      ints.clear();
      ints.put(a, from, n);
      crc.update(bytes.array(), 0, 4 * n);
    }
  }
}
