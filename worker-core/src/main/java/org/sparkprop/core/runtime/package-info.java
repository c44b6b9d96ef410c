/**
 * Executor JVM settings: ND4J native threads matched to task slots.
 */
package org.sparkprop.core.runtime;
