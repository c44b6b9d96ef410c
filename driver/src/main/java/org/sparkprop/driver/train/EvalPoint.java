package org.sparkprop.driver.train;

import org.sparkprop.core.model.EvalStats;

/** One evaluation on the test set: after {@code epoch} epochs, {@code step} steps and
 * {@code seconds} of training. */
public record EvalPoint(int epoch, long step, double seconds, EvalStats stats) {}
