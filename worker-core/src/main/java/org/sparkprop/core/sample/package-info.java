/**
 * Mini-batch sampling as a pure function of (seed, partition, step), so retries and reruns pick the same rows.
 */
package org.sparkprop.core.sample;
