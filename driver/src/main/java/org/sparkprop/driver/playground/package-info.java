/**
 * The optimizers as pictures: every optimizer sparkprop ships, the same classes as training,
 * run on 2-D test functions; their paths drawn over the functions' contours and their values per
 * step ({@code sparkprop playground}).
 */
package org.sparkprop.driver.playground;
