package org.sparkprop.driver.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One named float32 array in a {@link FramedFile} (magic {@code SPRPARRY}): the arrays of a
 * checkpoint (optimizer moments, exchange state, executor residuals). The header holds {@code
 * format_version}, {@code name}, {@code dtype} ("float32"), {@code byte_order} and {@code
 * length}; decoding checks that the name is the one expected, so a file copied under another
 * name is refused.
 */
public final class ArrayFile {
  public static final int FORMAT_VERSION = 1;
  static final byte[] MAGIC = "SPRPARRY".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArrayFile() {}

  /** Encodes {@code values} as the array {@code name}. */
  public static byte[] encode(String name, float[] values) {
    ObjectNode h = JSON.createObjectNode();
    h.put("format", "sparkprop-array");
    h.put("format_version", FORMAT_VERSION);
    h.put("name", name);
    h.put("dtype", "float32");
    h.put("byte_order", "little_endian");
    return FramedFile.encode(MAGIC, h, "length", values);
  }

  /**
   * Decodes and verifies the array {@code name}.
   *
   * @throws IOException naming {@code source} when the bytes are not that array, intact
   */
  public static float[] decode(byte[] bytes, String name, String source) throws IOException {
    FramedFile.Contents f = FramedFile.decode(bytes, MAGIC, "a sparkprop array file",
        FORMAT_VERSION, FORMAT_VERSION, "length", source);
    String found = f.header().path("name").asText();
    if (!found.equals(name)) {
      throw new FileFormatException(source + ": holds the array '" + found + "', expected '" + name + "'");
    }
    if (!"float32".equals(f.header().path("dtype").asText())) {
      throw new FileFormatException(source + ": dtype '" + f.header().path("dtype").asText()
          + "' is not supported (float32 only)");
    }
    return f.values();
  }
}
