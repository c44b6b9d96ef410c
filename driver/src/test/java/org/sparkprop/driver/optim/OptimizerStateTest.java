package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Export/import of optimizer state: exact round trip, resume == never stopped, clear errors. */
class OptimizerStateTest {

  static Stream<Arguments> configs() {
    return Fixtures.configsWithAndWithoutMask();
  }

  private static void steps(Optimizer opt, float[] params, float[][] grads, int from, int to) {
    for (int t = from; t <= to; t++) {
      opt.step(params, grads[t - 1].clone(), Fixtures.lrAt(opt.config(), t), Fixtures.lossAt(t));
    }
  }

  /** 7 steps, export, import into a fresh optimizer, 10 more == 17 steps uninterrupted, bitwise. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void resumeFromExportedStateIsExact(String label, OptimizerConfig config, boolean masked) {
    int n = Fixtures.N;
    boolean[] mask = masked ? Fixtures.mask(n) : null;
    float[][] grads = Fixtures.gradients(n, 17, 21);

    Optimizer straight = config.create(n, mask);
    float[] p1 = Fixtures.initialParams(n, 20);
    steps(straight, p1, grads, 1, 17);

    Optimizer first = config.create(n, mask);
    float[] p2 = Fixtures.initialParams(n, 20);
    steps(first, p2, grads, 1, 7);
    OptimizerState saved = first.exportState();
    steps(first, p2.clone(), grads, 8, 9); // the export is a deep copy: later steps don't leak
    assertEquals(7, saved.step());

    Optimizer resumed = config.create(n, mask);
    resumed.importState(saved);
    assertEquals(saved, resumed.exportState(), "export after import is the same state");
    assertEquals(saved.hashCode(), resumed.exportState().hashCode());
    assertEquals(7, resumed.steps());
    steps(resumed, p2, grads, 8, 17);

    assertArrayEquals(p1, p2, "parameters");
    assertEquals(straight.exportState(), resumed.exportState(), "state");
  }

  @Test
  void stateIsPlainDataComparedByContent() {
    Map<String, float[]> arrays = new LinkedHashMap<>();
    float[] a = {1f, Float.NaN, -0f};
    arrays.put("exp_avg", a);
    OptimizerState s = new OptimizerState("adam", 3, arrays, Map.of());
    a[0] = 9f; // the constructor copied
    assertEquals(1f, s.array("exp_avg")[0]);
    s.array("exp_avg")[0] = 7f; // array() returns a copy
    assertEquals(1f, s.array("exp_avg")[0]);
    OptimizerState same =
        new OptimizerState(
            "adam", 3, Map.of("exp_avg", new float[] {1f, Float.NaN, -0f}), Map.of());
    assertEquals(s, same);
    assertEquals(s.hashCode(), same.hashCode());
    assertNotEquals(
        s, new OptimizerState("adam", 3, Map.of("exp_avg", new float[] {1f, Float.NaN, 0f}),
            Map.of()));
    assertNotEquals(s, new OptimizerState("adam", 4, Map.of("exp_avg", a.clone()), Map.of()));
    assertEquals(List.of("exp_avg"), s.arrayNames());
    assertEquals(1f, s.arrays().get("exp_avg")[0]);
    s.arrays().get("exp_avg")[0] = 5f; // arrays() is a deep copy
    assertEquals(1f, s.array("exp_avg")[0]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.array("exp_avg_sq"));
    assertTrue(e.getMessage().contains("has no array 'exp_avg_sq'"));
    assertThrows(
        IllegalArgumentException.class, () -> new OptimizerState("x", -1, Map.of(), Map.of()));
  }

  @Test
  void irpropPlusStateCarriesThePreviousLoss() {
    Optimizer opt = RpropConfig.builder(RpropConfig.Variant.IRPROP_PLUS).build().create(2);
    assertTrue(Double.isNaN(opt.exportState().scalars().get("prev_loss")));
    opt.step(new float[] {1f, 2f}, new float[] {1f, -1f}, 0.01, 0.75);
    OptimizerState s = opt.exportState();
    assertEquals(Map.of("prev_loss", 0.75), s.scalars());
    assertEquals(List.of("prev_grad", "step_size", "prev_delta"), s.arrayNames());
  }

  @Test
  void importRejectsMismatchesAndLeavesTheStateAlone() {
    Optimizer adam = AdamConfig.adam().build().create(4);
    adam.step(new float[4], new float[] {1, 2, 3, 4});
    OptimizerState before = adam.exportState();

    OptimizerState adamw = AdamConfig.adamw().build().create(4).exportState();
    assertMessage(adam, adamw, "the state is for 'adamw', not 'adam'");

    OptimizerState amsgrad = AdamConfig.adam().amsgrad(true).build().create(4).exportState();
    assertMessage(
        adam, amsgrad,
        "the state has arrays [exp_avg, exp_avg_sq, max_exp_avg_sq], expected [exp_avg,"
            + " exp_avg_sq]");

    OptimizerState shorter = AdamConfig.adam().build().create(3).exportState();
    assertMessage(adam, shorter, "array 'exp_avg' has length 3, expected 4");

    Map<String, float[]> arrays = new LinkedHashMap<>();
    arrays.put("exp_avg", new float[4]);
    arrays.put("exp_avg_sq", new float[4]);
    OptimizerState extraScalar = new OptimizerState("adam", 1, arrays, Map.of("prev_loss", 1.0));
    assertMessage(adam, extraScalar, "the state has scalars [prev_loss], expected []");

    assertEquals(before, adam.exportState());
    assertEquals(1, adam.steps());
  }

  private static void assertMessage(Optimizer opt, OptimizerState s, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> opt.importState(s));
    assertTrue(
        e.getMessage().startsWith("cannot import optimizer state into adam: " + expected),
        e.getMessage());
  }
}
