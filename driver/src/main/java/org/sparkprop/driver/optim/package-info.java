/**
 * The optimizers: driver-side, in-place updates of the flat float32 parameter vector from the
 * mean gradient, with their state kept on the driver. Pure Java over {@code float[]}.
 *
 * <h2>Types</h2>
 *
 * <ul>
 *   <li>{@link org.sparkprop.driver.optim.OptimizerConfig}: immutable, validated hyperparameters,
 *       one class per family: {@link org.sparkprop.driver.optim.SgdConfig} ({@code sgd}), {@link
 *       org.sparkprop.driver.optim.AdagradConfig} ({@code adagrad}), {@link
 *       org.sparkprop.driver.optim.RmsPropConfig} ({@code rmsprop}), {@link
 *       org.sparkprop.driver.optim.AdamConfig} ({@code adam}, {@code adamw}), {@link
 *       org.sparkprop.driver.optim.RpropConfig} ({@code rprop-plus}, {@code rprop-minus}, {@code
 *       irprop-plus}, {@code irprop-minus}), {@link org.sparkprop.driver.optim.SignConfig} ({@code
 *       sign}, {@code signum}). Each class's javadoc gives its update formula; defaults are named
 *       constants and are PyTorch's where PyTorch has one ({@code sgd}, {@code sign} and {@code
 *       signum} have no default learning rate).
 *   <li>{@link org.sparkprop.driver.optim.Optimizer}: created by {@code config.create(numParams)}
 *       or {@code config.create(numParams, decayMask)}; owns the state, {@code step}s in place.
 *   <li>{@link org.sparkprop.driver.optim.OptimizerState}: the state as plain data for
 *       checkpoints (name, step count, named float arrays, named double scalars).
 *   <li>{@link org.sparkprop.driver.optim.LrSchedule}, {@link
 *       org.sparkprop.driver.optim.GradientClipping}, {@link
 *       org.sparkprop.driver.optim.NonFiniteGradientPolicy}: what goes around every optimizer;
 *       {@link org.sparkprop.driver.optim.GuardedOptimizer} puts them together.
 *   <li>{@link org.sparkprop.driver.optim.Optimizers}: reads the {@code optimizer} config section.
 * </ul>
 *
 * <h2>Call order</h2>
 *
 * <pre>{@code
 * List<String> problems = new ArrayList<>();
 * OptimizerConfig oc = Optimizers.fromConfig(conf.getConfig("optimizer"), problems);
 * LrSchedule ls = LrSchedule.fromConfig(conf.getConfig("lr_schedule"), totalSteps, problems);
 * GradientClipping clip = GradientClipping.fromConfig(conf.getConfig("gradient"), problems);
 * NonFiniteGradientPolicy nf =
 *     NonFiniteGradientPolicy.fromConfig(conf.getConfig("gradient"), problems);
 * // unknown keys: compare each section's keys with Optimizers.keysFor(name),
 * // LrSchedule.keysFor(type), GradientClipping.KEYS + NonFiniteGradientPolicy.KEY
 * if (!problems.isEmpty()) fail with all of them
 *
 * Optimizer opt = oc.create(numParams, decayMask);       // decayMask: false for biases, or null
 * opt.importState(checkpointedState);                    // when resuming
 * GuardedOptimizer g = new GuardedOptimizer(opt, ls, clip, nf);
 * for (long t = first; t <= totalSteps; t++) {
 *   // grad, loss = mean gradient and loss at params
 *   GuardedOptimizer.StepOutcome out = g.step(t, params, grad, loss);
 *   if (checkpoint due) save(opt.exportState());
 * }
 * }</pre>
 *
 * <h2>Contracts</h2>
 *
 * <ul>
 *   <li>Arithmetic: per entry, in double from the float32 inputs and float32 state; each stored
 *       value (parameter, state entry) is rounded to float32 once per step. Results match a
 *       double-precision reference that stores float32 to 1e-6 relative.
 *   <li>{@code step} may overwrite the gradient array (clipping does; implementations may use it
 *       as scratch); callers must not rely on its contents afterwards.
 *   <li>A step is all or nothing: every check (lengths, learning rate, NaN/Inf gradient, loss for
 *       {@code irprop-plus}) runs before anything is written.
 *   <li>Weight decay is coupled (L2, g += wd·θ) everywhere except {@code adamw} (decoupled, θ ←
 *       θ(1 − lr·wd) before the step). The optional {@code decayMask} excludes entries (biases).
 *   <li>The Rprop family requires full-batch gradients ({@link
 *       org.sparkprop.driver.optim.OptimizerConfig#requiresFullBatch()}), ignores the learning
 *       rate passed to {@code step} ({@code lr} is its initial step size), so it accepts only a
 *       constant schedule; {@code irprop-plus} needs the loss ({@link
 *       org.sparkprop.driver.optim.OptimizerConfig#usesLoss()}).
 *   <li>State export/import is an exact (bitwise) round trip: continuing after an import gives the
 *       same parameters as never having stopped.
 *   <li>Invalid values are rejected with messages that name the key, e.g. {@code
 *       "optimizer.betas: beta2 must be in [0, 1), got 1.0"}; {@code fromConfig} methods list
 *       every problem at once and return null.
 * </ul>
 */
package org.sparkprop.driver.optim;
