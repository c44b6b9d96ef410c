/**
 * Seeded synthetic data sets (linear, logistic, multiclass, teacher-MLP; dense or sparse) streamed to LIBSVM or CSV.
 */
package org.sparkprop.driver.generate;
