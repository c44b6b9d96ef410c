package org.sparkprop.driver.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;

/** Writes records as JSON lines ({@code metrics.jsonl}), flushed after each line. */
public final class JsonLinesSink implements MetricsSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OutputStream out;

  public JsonLinesSink(OutputStream out) {
    this.out = out;
  }

  @Override
  public synchronized void write(Map<String, Object> record) {
    try {
      out.write(JSON.writeValueAsString(record).getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      if (out instanceof FSDataOutputStream) {
        ((FSDataOutputStream) out).hflush();
      } else {
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
