package org.sparkprop.driver.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The frame every binary file sparkprop writes shares (model files, checkpoint arrays): plain
 * data a user can read from any language, never Java serialization.
 *
 * <pre>
 *   8 bytes   magic, ASCII (e.g. "SPRPMODL")
 *   4 bytes   header length H, unsigned little-endian
 *   H bytes   header, UTF-8 JSON object with at least "format_version" and the value count
 *             under a key each format names ("num_params", "length")
 *   4*n bytes the values, float32 little-endian
 *   4 bytes   CRC-32C of every byte before it, little-endian
 * </pre>
 *
 * Decoding checks the magic, the checksum, the header's length and JSON, the format version and
 * the value count against the file size before it allocates anything of the file's choosing, so
 * a corrupt or hostile file is a clean {@link IOException} naming its source.
 */
public final class FramedFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A decoded file: its JSON header and its values. */
  public record Contents(JsonNode header, float[] values) {}

  private FramedFile() {}

  /** Encodes {@code values} under {@code header}, whose {@code countKey} is set here. */
  public static byte[] encode(byte[] magic, ObjectNode header, String countKey, float[] values) {
    header.put(countKey, values.length);
    byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + 4 + h.length + 4 * values.length + 4)
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.put(magic).putInt(h.length).put(h);
    buf.asFloatBuffer().put(values);
    buf.position(buf.position() + 4 * values.length);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    return buf.array();
  }

  /**
   * Decodes and verifies a framed file's bytes.
   *
   * @param what what the file should be, for messages (e.g. "a sparkprop model file")
   * @param oldest the oldest format version this build reads
   * @param newest the newest format version this build reads
   * @param countKey the header key holding the number of values
   * @throws IOException naming {@code source} and what is wrong
   */
  public static Contents decode(byte[] bytes, byte[] magic, String what, int oldest, int newest,
      String countKey, String source) throws IOException {
    if (bytes.length < 16 || !Arrays.equals(Arrays.copyOf(bytes, 8), magic)) {
      throw new FileFormatException(source + ": not " + what + " (bad magic)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != buf.getInt(bytes.length - 4)) {
      throw new FileFormatException(source + ": checksum mismatch: the file is corrupt or truncated");
    }
    int headerLength = buf.getInt(8);
    if (headerLength < 0 || 12L + headerLength + 4 > bytes.length) {
      throw new FileFormatException(source + ": header length " + headerLength + " is out of range");
    }
    JsonNode h;
    try {
      h = JSON.readTree(new String(bytes, 12, headerLength, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new FileFormatException(source + ": the header is not JSON: " + e.getOriginalMessage());
    }
    if (h == null || !h.isObject()) {
      throw new FileFormatException(source + ": the header is not a JSON object");
    }
    int found = h.path("format_version").asInt(-1);
    if (found < oldest || found > newest) {
      throw new FileFormatException(source + ": format_version " + found + " is not supported "
          + "(this build reads version" + (oldest == newest ? " " + newest
          : "s " + oldest + " to " + newest) + ")");
    }
    long n = h.path(countKey).asLong(-1);
    if (n < 0 || 12L + headerLength + 4L * n + 4 != bytes.length) {
      throw new FileFormatException(source + ": " + countKey + " " + n + " does not match the file's "
          + bytes.length + " bytes");
    }
    float[] values = new float[(int) n];
    buf.position(12 + headerLength);
    buf.asFloatBuffer().get(values);
    return new Contents(h, values);
  }
}
