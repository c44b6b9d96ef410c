/**
 * Training data packed into blocks of contiguous arrays (dense row-major float32 or CSR), and how a task gathers its mini-batch from them.
 */
package org.sparkprop.core.data;
