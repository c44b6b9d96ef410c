/**
 * Models over one flat float32 parameter vector: layouts, activations, losses, and the ND4J network that computes losses and gradients of a batch.
 */
package org.sparkprop.core.model;
