/**
 * The sparkprop Spark application; {@link org.sparkprop.driver.Main} dispatches the commands.
 */
package org.sparkprop.driver;
