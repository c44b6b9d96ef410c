/**
 * HOCON training configuration: loading with overrides, unknown-key detection, typed and validated sections (every problem reported at once).
 */
package org.sparkprop.driver.config;
