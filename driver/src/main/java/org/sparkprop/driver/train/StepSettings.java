package org.sparkprop.driver.train;

import java.io.Serializable;
import org.sparkprop.core.model.ModelSpec;

/**
 * What every gradient task of a run needs besides the broadcast step state; shipped in the task
 * closure (small: no arrays).
 *
 * @param globalBatch rows per step over all partitions (ignored when fullBatch)
 * @param failAtStep test-only: step whose first attempt fails on failPartition; -1 = never
 */
record StepSettings(ModelSpec model, long seed, int globalBatch, int numPartitions,
    boolean fullBatch, int nativeThreads, long failAtStep, int failPartition)
    implements Serializable {}
