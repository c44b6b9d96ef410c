package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading, defaults and validation of the {@code optimizer} section. */
class OptimizerConfigTest {

  private static OptimizerConfig read(String hocon, List<String> problems) {
    return Optimizers.fromConfig(ConfigFactory.parseString(hocon), problems);
  }

  private static OptimizerConfig read(String hocon) {
    List<String> problems = new ArrayList<>();
    OptimizerConfig c = read(hocon, problems);
    assertEquals(List.of(), problems, hocon);
    assertNotNull(c);
    return c;
  }

  @Test
  void defaultsArePyTorchs() {
    AdamConfig adam = (AdamConfig) read("name = adam");
    assertEquals(1e-3, adam.lr());
    assertEquals(0.9, adam.beta1());
    assertEquals(0.999, adam.beta2());
    assertEquals(1e-8, adam.eps());
    assertEquals(0.0, adam.weightDecay());
    assertFalse(adam.amsgrad());
    assertEquals(AdamConfig.WeightDecay.COUPLED, adam.weightDecayMode());

    AdamConfig adamw = (AdamConfig) read("name = adamw");
    assertEquals(1e-2, adamw.weightDecay());
    assertEquals(AdamConfig.WeightDecay.DECOUPLED, adamw.weightDecayMode());

    AdagradConfig adagrad = (AdagradConfig) read("name = adagrad");
    assertEquals(1e-2, adagrad.lr());
    assertEquals(0.0, adagrad.lrDecay());
    assertEquals(0.0, adagrad.initialAccumulatorValue());
    assertEquals(1e-10, adagrad.eps());

    RmsPropConfig rms = (RmsPropConfig) read("name = rmsprop");
    assertEquals(1e-2, rms.lr());
    assertEquals(0.99, rms.alpha());
    assertEquals(1e-8, rms.eps());
    assertEquals(0.0, rms.momentum());
    assertFalse(rms.centered());

    SgdConfig sgd = (SgdConfig) read("name = sgd, lr = 0.1");
    assertEquals(0.0, sgd.momentum());
    assertEquals(0.0, sgd.dampening());
    assertFalse(sgd.nesterov());
    assertEquals(0.0, sgd.weightDecay());

    for (RpropConfig.Variant v : RpropConfig.Variant.values()) {
      RpropConfig r = (RpropConfig) read("name = " + v.configName());
      assertEquals(v, r.variant());
      assertEquals(1e-2, r.lr());
      assertEquals(0.5, r.etaMinus());
      assertEquals(1.2, r.etaPlus());
      assertEquals(1e-6, r.minStep());
      assertEquals(50.0, r.maxStep());
      assertTrue(r.requiresFullBatch());
      assertEquals(v == RpropConfig.Variant.IRPROP_PLUS, r.usesLoss());
    }

    assertEquals(0.9, ((SignConfig) read("name = signum, lr = 0.01")).momentum());
    assertEquals(0.0, ((SignConfig) read("name = sign, lr = 0.01")).momentum());
  }

  @Test
  void readsEveryKey() {
    AdamConfig a =
        (AdamConfig)
            read("name = adamw, lr = 3e-4, betas = [0.8, 0.95], eps = 1e-6,"
                + " weight_decay = 0.1, amsgrad = true");
    assertEquals(AdamConfig.adamw().lr(3e-4).betas(0.8, 0.95).eps(1e-6).weightDecay(0.1)
        .amsgrad(true).build(), a);
    RpropConfig r =
        (RpropConfig)
            read("name = irprop-plus, lr = 0.05, etas = [0.4, 1.3], step_sizes = [1e-5, 1],"
                + " weight_decay = 0.001");
    assertEquals(RpropConfig.builder(RpropConfig.Variant.IRPROP_PLUS).lr(0.05).etas(0.4, 1.3)
        .stepSizes(1e-5, 1).weightDecay(0.001).build(), r);
    SgdConfig s =
        (SgdConfig)
            read("name = sgd, lr = \"0.1\", momentum = 0.9, nesterov = true, weight_decay = 1e-4");
    assertEquals(SgdConfig.builder().lr(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4)
        .build(), s);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("name = adam, betas = [0.9, 1.0]",
            List.of("optimizer.betas: beta2 must be in [0, 1), got 1.0")),
        Arguments.of("name = sgd, lr = 0.1, nesterov = true",
            List.of("optimizer.nesterov: requires momentum > 0, got momentum = 0.0")),
        Arguments.of("name = sgd, lr = 0.1, momentum = 0.9, dampening = 0.1, nesterov = true",
            List.of("optimizer.nesterov: requires dampening = 0, got dampening = 0.1")),
        Arguments.of("name = sgd",
            List.of("optimizer.lr: is required for sgd (it has no default), not set")),
        Arguments.of("name = sign", List.of("optimizer.lr: is required for sign")),
        Arguments.of("name = adam, lr = 0",
            List.of("optimizer.lr: must be > 0 and finite, got 0.0")),
        Arguments.of("name = adam, lr = -1, eps = 0, betas = [1.5, -0.1], weight_decay = -1",
            List.of(
                "optimizer.lr: must be > 0 and finite, got -1.0",
                "optimizer.betas: beta1 must be in [0, 1), got 1.5",
                "optimizer.betas: beta2 must be in [0, 1), got -0.1",
                "optimizer.eps: must be > 0 and finite, got 0.0",
                "optimizer.weight_decay: must be >= 0 and finite, got -1.0")),
        Arguments.of("name = irprop-minus, etas = [1.5, 0.9], step_sizes = [1, 0.5]",
            List.of(
                "optimizer.etas: eta_minus must be in (0, 1), got 1.5",
                "optimizer.etas: eta_plus must be > 1 and finite, got 0.9",
                "optimizer.step_sizes: min_step must be <= max_step, got [1.0, 0.5]")),
        Arguments.of("name = rprop-minus, etas = [0, 1], step_sizes = [0, 1]",
            List.of(
                "optimizer.etas: eta_minus must be in (0, 1), got 0.0",
                "optimizer.etas: eta_plus must be > 1 and finite, got 1.0",
                "optimizer.step_sizes: min_step must be > 0 and finite, got 0.0")),
        Arguments.of("name = rprop-plus, lr = 100",
            List.of("optimizer.lr: the initial step size must lie within step_sizes [1.0E-6, 50.0],"
                + " got 100.0")),
        Arguments.of("name = adagrad, eps = 0, lr_decay = -0.1, initial_accumulator_value = -1",
            List.of(
                "optimizer.lr_decay: must be >= 0 and finite, got -0.1",
                "optimizer.initial_accumulator_value: must be >= 0 and finite, got -1.0",
                "optimizer.eps: must be > 0 and finite, got 0.0")),
        Arguments.of("name = rmsprop, alpha = 1.0, momentum = -0.1, eps = -1",
            List.of(
                "optimizer.alpha: must be in [0, 1), got 1.0",
                "optimizer.eps: must be > 0 and finite, got -1.0",
                "optimizer.momentum: must be in [0, 1), got -0.1")),
        Arguments.of("name = sgd, lr = 0.1, momentum = 1.0, dampening = 2",
            List.of(
                "optimizer.momentum: must be in [0, 1), got 1.0",
                "optimizer.dampening: must be in [0, 1], got 2.0")),
        Arguments.of("name = signum, lr = 0.1, momentum = 1.0",
            List.of("optimizer.momentum: must be in [0, 1), got 1.0")),
        Arguments.of("name = adam, lr = fast, betas = [0.9], amsgrad = maybe",
            List.of(
                "optimizer.lr: expected a number, got string \"fast\"",
                "optimizer.betas: expected a list [beta1, beta2] of two numbers, got 1 values",
                "optimizer.amsgrad: expected true or false, got string \"maybe\"")),
        Arguments.of("name = sgd, lr = [1]",
            List.of("optimizer.lr: expected a number, got list [1]")),
        Arguments.of("name = adam, betas = 0.9",
            List.of("optimizer.betas: expected a list [beta1, beta2] of two numbers,"
                + " got number 0.9")),
        Arguments.of("name = adam, lr = null", List.of("optimizer.lr: must not be null")),
        Arguments.of("name = adamm",
            List.of("optimizer.name: unknown optimizer 'adamm'; one of [sgd, adagrad, rmsprop,"
                + " adam, adamw, lamb, lars, rprop-plus, rprop-minus, irprop-plus, irprop-minus, sign,"
                + " signum]")),
        Arguments.of("lr = 0.1", List.of("optimizer.name: missing; one of [sgd,")));
  }

  /** Each expected message is a prefix of one reported problem, in order, and nothing else. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsInvalidValuesListingEveryProblem(String hocon, List<String> expected) {
    List<String> problems = new ArrayList<>(List.of("an earlier problem"));
    assertNull(read(hocon, problems));
    problems.remove(0);
    assertEquals(expected.size(), problems.size(), "problems: " + problems);
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(
          problems.get(i).startsWith(expected.get(i)),
          "expected '" + expected.get(i) + "', got '" + problems.get(i) + "'");
    }
  }

  @Test
  void builderThrowsWithEveryProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AdamConfig.adam().lr(0).betas(0.9, 1.0).build());
    assertEquals(
        "optimizer.lr: must be > 0 and finite, got 0.0; "
            + "optimizer.betas: beta2 must be in [0, 1), got 1.0",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> RpropConfig.builder(RpropConfig.Variant.RPROP_PLUS).stepSizes(1e-3, 1).lr(2).build());
    assertThrows(IllegalStateException.class, () -> SignConfig.sign().momentum(0.9));
    assertEquals(List.of(), SgdConfig.builder().lr(1).momentum(0.9).nesterov(true).problems());
  }

  @Test
  void aProblemFromAnotherSectionDoesNotMakeAValidSectionNull() {
    List<String> problems = new ArrayList<>(List.of("lr_schedule.type: bad"));
    assertNotNull(read("name = adam", problems));
    assertEquals(1, problems.size());
  }

  @Test
  void toMapReadsBackToAnEqualConfig() {
    for (OptimizerConfig c : Fixtures.allConfigs()) {
      Map<String, Object> m = c.toMap();
      assertEquals(c.name(), m.get("name"));
      assertEquals(c.lr(), m.get("lr"));
      assertEquals(Optimizers.keysFor(c.name()), m.keySet(), c.toString());
      Config back = ConfigFactory.parseMap(m);
      assertEquals(c, read(back.root().render()), c.toString());
      assertEquals(c.hashCode(), read(back.root().render()).hashCode());
    }
  }

  @Test
  void keysAndNames() {
    assertEquals(13, Optimizers.names().size());
    assertEquals(
        Set.of("name", "lr", "betas", "eps", "weight_decay", "amsgrad"),
        Optimizers.keysFor("adamw"));
    assertEquals(
        Set.of("name", "lr", "momentum", "dampening", "nesterov", "weight_decay"),
        Optimizers.keysFor("sgd"));
    assertEquals(Set.of("name", "lr", "weight_decay"), Optimizers.keysFor("sign"));
    assertEquals(
        Set.of("name", "lr", "etas", "step_sizes", "weight_decay"),
        Optimizers.keysFor("irprop-minus"));
    Set<String> all = Optimizers.keysFor("no-such-optimizer");
    assertTrue(all.containsAll(Optimizers.keysFor("adagrad")));
    assertTrue(all.containsAll(Optimizers.keysFor("rmsprop")));
    assertEquals(all, Optimizers.keysFor(null));
    for (String name : Optimizers.names()) {
      OptimizerConfig c = read("name = " + name + ", lr = 0.01");
      assertEquals(name, c.name());
      assertEquals(name.contains("rprop"), c.requiresFullBatch());
    }
  }

  @Test
  void createChecksSizeAndMask() {
    OptimizerConfig c = AdamConfig.adam().build();
    assertThrows(IllegalArgumentException.class, () -> c.create(0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.create(3, new boolean[2]));
    assertTrue(e.getMessage().contains("decayMask has length 2, expected numParams = 3"));
  }
}
