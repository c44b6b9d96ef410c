package org.sparkprop.driver.train;

import java.util.concurrent.ConcurrentHashMap;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;

/** One {@link Network} per model per executor JVM, so its per-thread buffers are reused. */
final class Networks {
  private static final ConcurrentHashMap<ModelSpec, Network> CACHE = new ConcurrentHashMap<>();

  private Networks() {}

  static Network of(ModelSpec spec) {
    return CACHE.computeIfAbsent(spec, Network::new);
  }
}
