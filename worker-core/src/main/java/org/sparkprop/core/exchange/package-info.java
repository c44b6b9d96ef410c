/**
 * What crosses the wire each step: the broadcast step state (driver to tasks) and gradient payloads (tasks to driver) with their merge algebra.
 */
package org.sparkprop.core.exchange;
