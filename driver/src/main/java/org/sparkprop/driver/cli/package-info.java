/**
 * Command-line commands: {@code train}.
 */
package org.sparkprop.driver.cli;
