package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer and option combination against its plain-loop reference ({@link
 * ReferenceOptimizer}): the parameters, the update and every state array after every one of 25
 * steps of random gradients with zeros, sign changes, tiny entries and an all-zero step.
 *
 * <p>Each step starts the reference from the optimizer's own parameters and state, so each step
 * is checked against the formula on the same inputs. Over a trajectory, float32 arithmetic (an
 * ulp of θ per step) is free to drift from the double reference: the drift feeds back through
 * coupled weight decay and is amplified where a moment cancels towards zero, which says nothing
 * about the formula.
 */
class OptimizerReferenceTest {

  /** Relative tolerance, and the absolute floor for state entries. */
  private static final double REL = 1e-6;
  private static final double ABS = 1e-20;

  static Stream<Arguments> configs() {
    return Fixtures.configsWithAndWithoutMask();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void matchesReferenceOnParamsUpdateAndState(
      String label, OptimizerConfig config, boolean masked) {
    int n = Fixtures.N;
    boolean[] mask = masked ? Fixtures.mask(n) : null;
    Optimizer opt = config.create(n, mask);
    ReferenceOptimizer ref = ReferenceOptimizer.of(config, n, mask);
    float[] params = Fixtures.initialParams(n, 11);
    float[] refParams = params.clone();
    float[][] grads = Fixtures.gradients(n, Fixtures.STEPS, 12);

    for (int t = 1; t <= Fixtures.STEPS; t++) {
      syncReference(ref, opt.exportState(), params, refParams);
      float[] before = params.clone();
      float[] refBefore = refParams.clone();
      double lr = Fixtures.lrAt(config, t);
      double loss = Fixtures.lossAt(t);
      opt.step(params, grads[t - 1].clone(), lr, loss);
      ref.step(refParams, grads[t - 1], lr, loss);

      String at = label + " step " + t;
      Fixtures.assertClose(at + " params", refParams, params, REL, 1e-9);
      for (int i = 0; i < n; i++) {
        double update = (double) params[i] - before[i];
        double refUpdate = (double) refParams[i] - refBefore[i];
        // the update is observed through float32 parameters: resolution is one ulp of θ
        double floor = 2 * Math.ulp(Math.max(Math.abs(params[i]), Math.abs(before[i])));
        assertTrue(
            Math.abs(update - refUpdate) <= REL * Math.abs(refUpdate) + floor,
            at + " update[" + i + "]: expected " + refUpdate + ", got " + update);
      }
      OptimizerState s = opt.exportState();
      assertEquals(t, s.step(), at + " step count");
      assertEquals(t, opt.steps());
      assertEquals(ref.state.keySet().stream().toList(), s.arrayNames(), at + " state names");
      for (Map.Entry<String, float[]> e : ref.state.entrySet()) {
        Fixtures.assertClose(at + " " + e.getKey(), e.getValue(), s.array(e.getKey()),
            ref.termScale.get(e.getKey()), REL, ABS);
      }
      assertEquals(ref.scalars.keySet(), s.scalars().keySet(), at + " scalar names");
      for (Map.Entry<String, Double> e : ref.scalars.entrySet()) {
        Fixtures.assertNear(e.getValue(), s.scalars().get(e.getKey()), at + " " + e.getKey());
      }
    }
  }

  /** Sets the reference's parameters, state arrays and scalars to the optimizer's. */
  private static void syncReference(
      ReferenceOptimizer ref, OptimizerState s, float[] params, float[] refParams) {
    System.arraycopy(params, 0, refParams, 0, params.length);
    for (Map.Entry<String, float[]> e : ref.state.entrySet()) {
      float[] from = s.array(e.getKey());
      System.arraycopy(from, 0, e.getValue(), 0, from.length);
    }
    ref.scalars.replaceAll((name, v) -> s.scalars().get(name));
  }
}
