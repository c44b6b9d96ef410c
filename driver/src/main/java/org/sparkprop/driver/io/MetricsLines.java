package org.sparkprop.driver.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Cuts {@code metrics.jsonl} back to a checkpoint's step, for a resumed run to continue it. */
final class MetricsLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MetricsLines() {}

  /**
   * The complete records of {@code jsonl} whose {@code step} is at most {@code step}, in their
   * order. A line without its newline (cut short by a crash), a line that is not a JSON object
   * with a step, and every line after the first record of a later step are dropped.
   */
  static byte[] keepThrough(byte[] jsonl, long step) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(jsonl.length);
    int start = 0;
    for (int i = 0; i < jsonl.length; i++) {
      if (jsonl[i] != '\n') {
        continue;
      }
      String line = new String(jsonl, start, i - start, StandardCharsets.UTF_8);
      long lineStep = stepOf(line);
      if (lineStep > step) {
        break;
      }
      if (lineStep >= 0) {
        out.write(jsonl, start, i + 1 - start);
      }
      start = i + 1;
    }
    return out.toByteArray();
  }

  private static long stepOf(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return n != null && n.path("step").canConvertToLong() ? n.path("step").asLong() : -1;
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
