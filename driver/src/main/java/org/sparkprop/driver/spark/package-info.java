/**
 * The Spark configuration every run uses (Kryo with required registration) and the driver's Kryo registrator.
 */
package org.sparkprop.driver.spark;
