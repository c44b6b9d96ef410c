/**
 * The step loop: one Spark job per step, gradients merged in partition order, the optimizer applied on the driver, evaluation and metrics.
 */
package org.sparkprop.driver.train;
