/**
 * Record-level data formats: LIBSVM and CSV line parsers, the MNIST IDX reader, and the errors that name file, line and token.
 */
package org.sparkprop.driver.data;
