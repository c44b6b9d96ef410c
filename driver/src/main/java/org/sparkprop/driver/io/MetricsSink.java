package org.sparkprop.driver.io;

import java.util.Map;

/** Receives one metrics record (a flat JSON object) per logged step or evaluation. */
public interface MetricsSink extends AutoCloseable {
  /** Writes one record; keys in insertion order. */
  void write(Map<String, Object> record);

  @Override
  void close();

  /** A sink that drops everything. */
  static MetricsSink none() {
    return new MetricsSink() {
      @Override
      public void write(Map<String, Object> record) {}

      @Override
      public void close() {}
    };
  }
}
