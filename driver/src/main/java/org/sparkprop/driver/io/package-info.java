/**
 * Files a run writes: the run directory, metrics as JSON lines, the model file format, atomic replacement.
 */
package org.sparkprop.driver.io;
