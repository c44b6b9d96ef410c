package org.sparkprop.driver.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.sparkprop.driver.io.FileFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * {@code MANIFEST.json}, the commit point of a checkpoint: written after every other file, it
 * lists each one's name (relative to the checkpoint directory), size and CRC-32C. A checkpoint
 * without a manifest, or with a file that does not match it, is incomplete and never used.
 *
 * <pre>
 * {"format": "sparkprop-checkpoint", "format_version": 1, "step": 1172,
 *  "files": [{"name": "model.sprp", "bytes": 814204, "crc32c": "0c1f9a2b"}, ...]}
 * </pre>
 */
final class Manifest {
  static final String NAME = "MANIFEST.json";
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file of the checkpoint. */
  record Entry(String name, long bytes, long crc32c) {}

  private final long step;
  private final Map<String, Entry> files;

  Manifest(long step, Map<String, Entry> files) {
    this.step = step;
    this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  long step() {
    return step;
  }

  /** The files by name, in the order they were written. */
  Map<String, Entry> files() {
    return files;
  }

  /** The entry of {@code bytes} stored as {@code name}. */
  static Entry entry(String name, byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return new Entry(name, bytes.length, crc.getValue());
  }

  byte[] encode() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "sparkprop-checkpoint");
    root.put("format_version", FORMAT_VERSION);
    root.put("step", step);
    ArrayNode list = root.putArray("files");
    for (Entry e : files.values()) {
      list.addObject().put("name", e.name()).put("bytes", e.bytes())
          .put("crc32c", String.format("%08x", e.crc32c()));
    }
    return root.toPrettyString().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses and checks a manifest's bytes; {@code source} names it in every message. */
  static Manifest decode(byte[] bytes, String source) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new FileFormatException(source + ": not JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !"sparkprop-checkpoint".equals(root.path("format").asText())) {
      throw new FileFormatException(source + ": not a sparkprop checkpoint manifest");
    }
    int version = root.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new FileFormatException(source + ": format_version " + version + " is not supported (this "
          + "build reads version " + FORMAT_VERSION + ")");
    }
    if (!root.path("step").canConvertToLong() || !root.path("files").isArray()) {
      throw new FileFormatException(source + ": step or files is missing");
    }
    Map<String, Entry> files = new LinkedHashMap<>();
    for (JsonNode f : root.path("files")) {
      String name = f.path("name").asText("");
      long size = f.path("bytes").asLong(-1);
      long crc;
      try {
        crc = Long.parseLong(f.path("crc32c").asText(""), 16);
      } catch (NumberFormatException e) {
        crc = -1;
      }
      if (name.isEmpty() || name.contains("..") || name.startsWith("/") || size < 0 || crc < 0) {
        throw new FileFormatException(source + ": bad file entry " + f);
      }
      files.put(name, new Entry(name, size, crc));
    }
    return new Manifest(root.path("step").asLong(), files);
  }
}
