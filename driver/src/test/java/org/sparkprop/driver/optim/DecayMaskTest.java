package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weight-decay mask: an entry with {@code decayMask[i] = false} moves exactly as without
 * weight decay, an entry with true exactly as with weight decay on all entries.
 */
class DecayMaskTest {

  static Stream<Arguments> configs() {
    return Stream.of(
            SgdConfig.builder().lr(0.05).momentum(0.9).weightDecay(0.1).build(),
            AdagradConfig.builder().weightDecay(0.1).build(),
            RmsPropConfig.builder().centered(true).weightDecay(0.1).build(),
            AdamConfig.adam().lr(0.01).weightDecay(0.1).build(),
            AdamConfig.adamw().lr(0.01).weightDecay(0.1).build(),
            RpropConfig.builder(RpropConfig.Variant.RPROP_PLUS).weightDecay(0.1).build(),
            RpropConfig.builder(RpropConfig.Variant.RPROP_MINUS).weightDecay(0.1).build(),
            RpropConfig.builder(RpropConfig.Variant.IRPROP_PLUS).weightDecay(0.1).build(),
            RpropConfig.builder(RpropConfig.Variant.IRPROP_MINUS).weightDecay(0.1).build(),
            SignConfig.sign().lr(0.01).weightDecay(0.1).build(),
            SignConfig.signum().lr(0.01).weightDecay(0.1).build())
        .map(c -> Arguments.of(c.toString(), c));
  }

  private static OptimizerConfig withoutDecay(OptimizerConfig c) {
    if (c instanceof SgdConfig) {
      return ((SgdConfig) c).toBuilder().weightDecay(0).build();
    } else if (c instanceof AdagradConfig) {
      return ((AdagradConfig) c).toBuilder().weightDecay(0).build();
    } else if (c instanceof RmsPropConfig) {
      return ((RmsPropConfig) c).toBuilder().weightDecay(0).build();
    } else if (c instanceof AdamConfig) {
      return ((AdamConfig) c).toBuilder().weightDecay(0).build();
    } else if (c instanceof RpropConfig) {
      return ((RpropConfig) c).toBuilder().weightDecay(0).build();
    } else {
      return ((SignConfig) c).toBuilder().weightDecay(0).build();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void maskedEntriesAreNotDecayed(String label, OptimizerConfig config) {
    int n = Fixtures.N;
    boolean[] mask = Fixtures.mask(n);
    Optimizer masked = config.create(n, mask);
    Optimizer all = config.create(n);
    Optimizer none = withoutDecay(config).create(n);
    float[] pm = Fixtures.initialParams(n, 31);
    float[] pa = pm.clone();
    float[] pn = pm.clone();
    float[][] grads = Fixtures.gradients(n, 20, 32);
    for (int t = 1; t <= 20; t++) {
      // a loss that rises by 1 per step: irprop-plus backtracks on every sign change in all
      // three runs alike, whatever the (small) weight-decay term of its objective
      double loss = t;
      masked.step(pm, grads[t - 1].clone(), config.lr(), loss);
      all.step(pa, grads[t - 1].clone(), config.lr(), loss);
      none.step(pn, grads[t - 1].clone(), config.lr(), loss);
    }
    for (int i = 0; i < n; i++) {
      float expected = mask[i] ? pa[i] : pn[i];
      assertEquals(expected, pm[i], label + " entry " + i + " (decayed: " + mask[i] + ")");
    }
    assertNotEquals(pa[0], pn[0], "weight decay made a difference");
  }
}
