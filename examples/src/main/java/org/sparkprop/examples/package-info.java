/**
 * Runnable programs built on the driver: the W1 benchmark.
 */
package org.sparkprop.examples;
