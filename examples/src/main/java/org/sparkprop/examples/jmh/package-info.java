/**
 * JMH microbenchmarks of the hot kernels: the dense and sparse gradient ({@code Network.gradient}),
 * the driver's payload merge, mean gradient and optimizer step, and the mini-batch gather. Run
 * them with {@link org.sparkprop.examples.jmh.JmhMain}:
 *
 * <pre>SPARKPROP_MAIN=org.sparkprop.examples.jmh.JmhMain bin/sparkprop [regex...] [jmh options]</pre>
 */
package org.sparkprop.examples.jmh;
