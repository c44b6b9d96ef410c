package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.model.ParamLayout;

/**
 * LAMB and LARS against their papers' formulas on hand-computed values: a weight tensor W =
 * (1, 2, 2) and a bias b = 0.5, two steps with g1 = (0.1, -0.2, 0.3 | 0.4) and g2 = (-0.1, 0.1,
 * 0.2 | -0.2).
 *
 * <p>LAMB step 1 (lr 0.1, betas 0.9/0.999, eps 1e-6, weight decay 0.01): the bias-corrected
 * moments are g and g², so u = g / (|g| + 1e-6) + 0.01·θ = (1.00999, -0.979995, 1.0199967);
 * ‖θ_W‖ = 3, ‖u_W‖ = 1.738063, trust ratio 1.72605, θ_W = θ - 0.1·1.72605·u = (0.825670,
 * 2.169153, 1.823943); the bias steps by lr·0.4/0.400001 without ratio or decay: 0.40000025.
 * Step 2 on the bias: m = 0.016, v = 1.9984e-4, m̂ = 0.0842105, sqrt(v̂) = 0.316182, θ =
 * 0.4000002 - 0.1·0.266336 = 0.373367.
 *
 * <p>LARS step 1 (lr 0.1, momentum 0.9, weight decay 5e-4, trust coefficient 1e-3): ‖θ_W‖ = 3,
 * ‖g_W‖ = sqrt(0.14) = 0.374166, λ = 0.003 / (0.374166 + 0.0015) = 0.0079858; v = 0.1·λ·(g +
 * 5e-4·θ) = (8.0257e-5, -1.58918e-4, 2.40373e-4), θ_W = (0.9999197, 2.0001589, 1.9997596); the
 * bias: v = 0.1·0.4 = 0.04, θ = 0.46. Step 2 on the bias: v = 0.9·0.04 - 0.02 = 0.016, θ = 0.444.
 */
class LayerwiseOptimizerTest {
  static final Tensors TENSORS = new Tensors(new int[] {0, 3, 4}, new boolean[] {false, true});
  static final float[] G1 = {0.1f, -0.2f, 0.3f, 0.4f};
  static final float[] G2 = {-0.1f, 0.1f, 0.2f, -0.2f};

  private static float[] twoSteps(OptimizerConfig c, float[][] after) {
    Optimizer o = c.create(4, null, TENSORS);
    float[] p = {1f, 2f, 2f, 0.5f};
    o.step(p, G1.clone(), c.lr(), Double.NaN);
    after[0] = p.clone();
    o.step(p, G2.clone(), c.lr(), Double.NaN);
    after[1] = p.clone();
    return p;
  }

  private static void close(double[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 2e-6, "entry " + i);
    }
  }

  @Test
  void lambFollowsThePaper() {
    float[][] after = new float[2][];
    twoSteps(LambConfig.builder().lr(0.1).build(), after);
    close(new double[] {0.825670, 2.169153, 1.823943, 0.40000025}, after[0]);
    close(new double[] {0.8385196, 2.2399969, 1.5376678, 0.373367}, after[1]);
  }

  @Test
  void larsFollowsThePaper() {
    float[][] after = new float[2][];
    twoSteps(LarsConfig.builder().lr(0.1).build(), after);
    close(new double[] {0.9999197, 2.0001590, 1.9997597, 0.46}, after[0]);
    close(new double[] {0.9999686, 2.0001791, 1.9992987, 0.444}, after[1]);
  }

  @Test
  void zeroWeightsTakeTheUnscaledStep() {
    // ‖θ‖ = 0 (a zero-initialised layer): the ratio is 1, LAMB steps by lr·u (u = ±1 here).
    Optimizer o = LambConfig.builder().lr(0.1).weightDecay(0).build().create(4, null, TENSORS);
    float[] p = new float[4];
    o.step(p, G1.clone(), 0.1, Double.NaN);
    close(new double[] {-0.0999990, 0.0999995, -0.0999997, -0.09999975}, p);
  }

  @Test
  void theTensorsOfAModelAndTheStateRoundTrip() {
    Tensors t = Tensors.of(new ParamLayout(3, 2, 1));
    assertArrayEquals(new int[] {0, 6, 8, 10, 11}, t.starts());
    assertArrayEquals(new boolean[] {false, true, false, true}, t.bias());
    for (OptimizerConfig c : List.of(LambConfig.builder().build(),
        LarsConfig.builder().lr(0.5).build())) {
      Optimizer a = c.create(4, null, TENSORS);
      float[] p = {1f, 2f, 2f, 0.5f};
      a.step(p, G1.clone(), c.lr(), Double.NaN);
      Optimizer b = c.create(4, null, TENSORS);
      b.importState(a.exportState());
      float[] q = p.clone();
      a.step(p, G2.clone(), c.lr(), Double.NaN);
      b.step(q, G2.clone(), c.lr(), Double.NaN);
      assertArrayEquals(p, q, c.name() + ": an imported state continues bit for bit");
    }
  }

  @Test
  void configsReadAndRefuse() {
    List<String> problems = new ArrayList<>();
    OptimizerConfig lamb = Optimizers.fromConfig(ConfigFactory.parseString(
        "name = lamb, lr = 0.002, betas = [0.9, 0.99], weight_decay = 0.1"), problems);
    assertEquals(LambConfig.builder().lr(0.002).betas(0.9, 0.99).weightDecay(0.1).build(), lamb);
    OptimizerConfig lars = Optimizers.fromConfig(ConfigFactory.parseString(
        "name = lars, lr = 2, trust_coefficient = 0.002"), problems);
    assertEquals(0.002, ((LarsConfig) lars).trustCoefficient());
    assertTrue(problems.isEmpty(), problems.toString());
    assertEquals(null, Optimizers.fromConfig(ConfigFactory.parseString("name = lars"), problems));
    assertTrue(problems.get(0).contains("optimizer.lr: is required for lars"), problems.get(0));
    assertThrows(IllegalArgumentException.class,
        () -> LarsConfig.builder().lr(1).trustCoefficient(0).build());
  }
}
