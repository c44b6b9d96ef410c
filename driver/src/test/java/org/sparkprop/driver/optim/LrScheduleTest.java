package org.sparkprop.driver.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Schedule values at chosen steps, and reading the {@code lr_schedule} section. */
class LrScheduleTest {

  private static final double EPS = 1e-15;

  @Test
  void constant() {
    LrSchedule s = LrSchedule.constant(0.1);
    assertEquals(0.1, s.lr(1));
    assertEquals(0.1, s.lr(1_000_000));
    assertTrue(s.isConstant());
  }

  @Test
  void stepDecay() {
    // base 0.1, step_size 3, gamma 0.5: steps 1–3 → 0.1, 4–6 → 0.05, 7 → 0.025
    LrSchedule s = LrSchedule.step(0.1, 3, 0.5);
    assertEquals(0.1, s.lr(1));
    assertEquals(0.1, s.lr(3));
    assertEquals(0.05, s.lr(4));
    assertEquals(0.05, s.lr(6));
    assertEquals(0.025, s.lr(7));
  }

  @Test
  void exponential() {
    // base·gamma^(t−1): 0.1, 0.09, 0.081
    LrSchedule s = LrSchedule.exponential(0.1, 0.9);
    assertEquals(0.1, s.lr(1));
    assertEquals(0.09, s.lr(2), EPS);
    assertEquals(0.081, s.lr(3), EPS);
  }

  @Test
  void cosineWithoutWarmup() {
    // PyTorch CosineAnnealingLR, T_max = 100, base 0.1, min 0.001, step t (1-based) uses
    // epoch t-1: lr(t) = 0.001 + 0.099·(1 + cos(π·(t-1)/100))/2
    LrSchedule s = LrSchedule.cosine(0.1, 100, 0.001);
    assertEquals(0.1, s.lr(1), EPS); // the first step runs at the base rate
    assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI / 100)) / 2, s.lr(2), EPS);
    assertEquals(0.001 + 0.099 / 2, s.lr(51), EPS); // cos(π/2) = 0: halfway
    assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 99 / 100)) / 2, s.lr(100), EPS);
    assertEquals(0.001, s.lr(101), EPS); // min_lr after the last step
    assertEquals(0.001, s.lr(250), EPS); // and stays there
    assertTrue(s.lr(30) > s.lr(31));
    assertFalse(s.isConstant());
  }

  @Test
  void cosineWithWarmupEndpoints() {
    // W = 10, T = 110, base 0.1, min 0: warm-up 0.01, 0.02, ..., 0.1 at step 10;
    // then cosine over the 100 remaining steps: base at step 11, halfway at 61, 0 after 110
    LrSchedule s = LrSchedule.cosine(0.1, 110, 0).withWarmup(10);
    assertEquals(0.01, s.lr(1), EPS);
    assertEquals(0.05, s.lr(5), EPS);
    assertEquals(0.1, s.lr(10), EPS);
    assertEquals(0.1, s.lr(11), EPS);
    assertEquals(0.1 * (1 + Math.cos(Math.PI / 100)) / 2, s.lr(12), EPS);
    assertEquals(0.05, s.lr(61), EPS);
    assertEquals(0.0, s.lr(111), EPS);
  }

  @Test
  void warmupAlone() {
    LrSchedule s = LrSchedule.warmup(0.2, 4);
    assertEquals(0.05, s.lr(1), EPS);
    assertEquals(0.1, s.lr(2), EPS);
    assertEquals(0.15, s.lr(3), EPS);
    assertEquals(0.2, s.lr(4), EPS);
    assertEquals(0.2, s.lr(5), EPS);
  }

  @Test
  void warmupBeforeStepDecayShiftsIt() {
    // 2 warm-up steps, then step decay counted from the end of warm-up
    LrSchedule s = LrSchedule.step(0.1, 2, 0.5).withWarmup(2);
    assertEquals(0.05, s.lr(1), EPS);
    assertEquals(0.1, s.lr(2), EPS);
    assertEquals(0.1, s.lr(3), EPS);
    assertEquals(0.1, s.lr(4), EPS);
    assertEquals(0.05, s.lr(5), EPS);
  }

  @Test
  void stepsAreOneBased() {
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(0.1).lr(0));
  }

  @Test
  void readsEveryType() {
    List<String> problems = new ArrayList<>();
    LrSchedule cos =
        LrSchedule.fromConfig(
            ConfigFactory.parseString("type = cosine, warmup_steps = 10, min_lr = 1e-5"),
            1000, 0.01, problems);
    assertEquals(List.of(), problems);
    assertEquals(LrSchedule.cosine(0.01, 1000, 1e-5).withWarmup(10), cos);

    LrSchedule unbound =
        LrSchedule.fromConfig(
            ConfigFactory.parseString("type = step, step_size = 5"), -1, problems);
    assertEquals(List.of(), problems);
    assertFalse(unbound.isBound());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> unbound.lr(1));
    assertTrue(e.getMessage().contains("withBaseLr"));
    assertEquals(LrSchedule.step(0.2, 5, 0.1), unbound.withBaseLr(0.2));

    LrSchedule fallback = LrSchedule.fromConfig(ConfigFactory.empty(), 0, 0.3, problems);
    assertEquals(LrSchedule.constant(0.3), fallback);
    assertEquals(
        LrSchedule.exponential(0.3, 0.99),
        LrSchedule.fromConfig(
            ConfigFactory.parseString("type = exponential, gamma = 0.99"), 0, 0.3, problems));
    assertEquals(
        LrSchedule.warmup(0.3, 7),
        LrSchedule.fromConfig(
            ConfigFactory.parseString("type = warmup, warmup_steps = 7"), 0, 0.3, problems));
    assertEquals(List.of(), problems);
  }

  private static List<String> problemsOf(String hocon, long totalSteps, double baseLr) {
    List<String> problems = new ArrayList<>();
    assertNull(
        LrSchedule.fromConfig(ConfigFactory.parseString(hocon), totalSteps, baseLr, problems));
    return problems;
  }

  @Test
  void rejectsInvalidValuesListingEveryProblem() {
    assertEquals(
        List.of(
            "lr_schedule.warmup_steps: must be >= 0, got -1",
            "lr_schedule.step_size: must be >= 1 for type = step, got 0",
            "lr_schedule.gamma: must be in (0, 1], got 1.5"),
        problemsOf("type = step, warmup_steps = -1, step_size = 0, gamma = 1.5", 0, 0.1));
    assertEquals(
        List.of("lr_schedule.step_size: is required for type = step"),
        problemsOf("type = step", 0, 0.1));
    assertEquals(
        List.of("lr_schedule.gamma: is required for type = exponential"),
        problemsOf("type = exponential", 0, 0.1));
    assertEquals(
        List.of(
            "lr_schedule.type: cosine needs the run's total number of steps, which is not known"
                + " (got 0)"),
        problemsOf("type = cosine", 0, 0.1));
    assertEquals(
        List.of(
            "lr_schedule.warmup_steps: must be < the total number of steps (100) for type ="
                + " cosine, got 100",
            "lr_schedule.min_lr: must be <= the base learning rate (optimizer.lr = 0.1), got 0.5"),
        problemsOf("type = cosine, warmup_steps = 100, min_lr = 0.5", 100, 0.1));
    assertEquals(
        List.of("lr_schedule.warmup_steps: must be >= 1 for type = warmup, got 0"),
        problemsOf("type = warmup", 0, 0.1));
    assertEquals(
        List.of("lr_schedule.warmup_steps: expected an integer, got 2.5"),
        problemsOf("type = warmup, warmup_steps = 2.5", 0, 0.1));
    assertEquals(
        List.of("lr_schedule.type: unknown schedule type 'linear'; one of [constant, step,"
            + " exponential, cosine, warmup]"),
        problemsOf("type = linear", 0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0.1, 10, 0.2));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.exponential(0.1, 0));
  }

  @Test
  void keysPerType() {
    assertEquals(Set.of("type", "warmup_steps", "step_size", "gamma"), LrSchedule.keysFor("step"));
    assertEquals(Set.of("type", "warmup_steps", "min_lr"), LrSchedule.keysFor("cosine"));
    assertEquals(
        Set.of("type", "warmup_steps", "step_size", "gamma", "min_lr"), LrSchedule.keysFor("x"));
    assertEquals(
        List.of("constant", "step", "exponential", "cosine", "warmup"), LrSchedule.types());
    assertNotNull(LrSchedule.constant(1).toMap());
  }
}
