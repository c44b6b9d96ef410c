/**
 * Kryo registration of every class sparkprop ships between JVMs (registration is required).
 */
package org.sparkprop.core.serial;
