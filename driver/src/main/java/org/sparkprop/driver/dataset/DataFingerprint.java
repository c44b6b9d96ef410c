package org.sparkprop.driver.dataset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a checkpoint records of the training data, so that a resumed run refuses other data: the
 * row and feature counts, the partitioning, and a digest of every partition's rows and
 * checksum (a CRC-32C of its cached blocks, see {@link org.sparkprop.core.data.BlockChecksum}).
 *
 * @param digest SHA-256 (hex) over each partition's row count and checksum, in partition order
 */
public record DataFingerprint(long rows, int partitions, int features, boolean sparse,
    String digest) {

  /** The fingerprint of data with these per-partition rows and checksums. */
  public static DataFingerprint of(long[] partitionRows, long[] partitionChecksums, int features,
      boolean sparse) {
    ByteBuffer buf = ByteBuffer.allocate(16 * partitionRows.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    long rows = 0;
    for (int p = 0; p < partitionRows.length; p++) {
      buf.putLong(partitionRows[p]).putLong(partitionChecksums[p]);
      rows += partitionRows[p];
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(buf.array());
      return new DataFingerprint(rows, partitionRows.length, features, sparse,
          HexFormat.of().formatHex(d));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line for messages: "60,000 rows x 784 features (dense) in 2 partitions, digest 1a2b3c4d". */
  public String describe() {
    return String.format(Locale.ROOT, "%,d rows x %,d features (%s) in %d partitions, digest %s",
        rows, features, sparse ? "sparse" : "dense", partitions,
        digest.substring(0, Math.min(16, digest.length())));
  }
}
