/**
 * Reading a data set once on Spark: parsing per input split, the seeded test split, deterministic rebalancing over partitions, caching.
 */
package org.sparkprop.driver.dataset;
