package org.sparkprop.driver.optim;

import com.typesafe.config.Config;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads the {@code optimizer} config section. Each optimizer has its own keys and defaults (the
 * defaults live in code, per family, as PyTorch's differ per optimizer); see {@link #keysFor}.
 *
 * <pre>
 * optimizer { name = adamw, lr = 3e-4, betas = [0.9, 0.95], weight_decay = 0.1 }
 * </pre>
 */
public final class Optimizers {

  private static final List<String> NAMES =
      List.of(
          SgdConfig.NAME,
          AdagradConfig.NAME,
          RmsPropConfig.NAME,
          AdamConfig.ADAM,
          AdamConfig.ADAMW,
          LambConfig.NAME,
          LarsConfig.NAME,
          RpropConfig.Variant.RPROP_PLUS.configName(),
          RpropConfig.Variant.RPROP_MINUS.configName(),
          RpropConfig.Variant.IRPROP_PLUS.configName(),
          RpropConfig.Variant.IRPROP_MINUS.configName(),
          SignConfig.SIGN,
          SignConfig.SIGNUM);

  private Optimizers() {}

  /** The values {@code optimizer.name} accepts, in documentation order. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The keys valid in the {@code optimizer} section for {@code name} (including {@code name}),
   * for unknown-key detection. For a name not in {@link #names()} (or null), the union of every
   * optimizer's keys, so that only the bad name itself gets reported.
   */
  public static Set<String> keysFor(String name) {
    List<String> keys = familyKeys(name);
    if (keys != null) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(keys));
    }
    Set<String> all = new LinkedHashSet<>();
    for (String n : NAMES) {
      all.addAll(familyKeys(n));
    }
    return Collections.unmodifiableSet(all);
  }

  private static List<String> familyKeys(String name) {
    if (name == null) {
      return null;
    }
    switch (name) {
      case SgdConfig.NAME:
        return SgdConfig.KEYS;
      case AdagradConfig.NAME:
        return AdagradConfig.KEYS;
      case RmsPropConfig.NAME:
        return RmsPropConfig.KEYS;
      case AdamConfig.ADAM:
      case AdamConfig.ADAMW:
        return AdamConfig.KEYS;
      case LambConfig.NAME:
        return LambConfig.KEYS;
      case LarsConfig.NAME:
        return LarsConfig.KEYS;
      case SignConfig.SIGN:
        return SignConfig.SIGN_KEYS;
      case SignConfig.SIGNUM:
        return SignConfig.SIGNUM_KEYS;
      default:
        return RpropConfig.Variant.of(name) != null ? RpropConfig.KEYS : null;
    }
  }

  /**
   * The optimizer config of an {@code optimizer} section: reads {@code name} and that family's
   * keys (absent keys take the family's defaults; keys of other families are not read, check
   * them with {@link #keysFor}).
   *
   * @param optimizerSection the {@code optimizer} section
   * @param problems receives every problem found, each {@code "optimizer.<key>: ..."}
   * @return the validated config, or null if this section had any problem
   */
  public static OptimizerConfig fromConfig(Config optimizerSection, List<String> problems) {
    ConfigReader r = new ConfigReader(optimizerSection, OptimizerConfig.SECTION, problems);
    int before = problems.size();
    String name = r.string("name", null);
    if (name == null) {
      if (problems.size() == before) {
        r.problem("name", "missing; one of " + NAMES);
      }
      return null;
    }
    switch (name) {
      case SgdConfig.NAME: {
        SgdConfig.Builder b = SgdConfig.read(r);
        return finish(r, b.problems(), b::build, problems, before);
      }
      case AdagradConfig.NAME: {
        AdagradConfig.Builder b = AdagradConfig.read(r);
        return finish(r, b.problems(), b::build, problems, before);
      }
      case RmsPropConfig.NAME: {
        RmsPropConfig.Builder b = RmsPropConfig.read(r);
        return finish(r, b.problems(), b::build, problems, before);
      }
      case AdamConfig.ADAM:
      case AdamConfig.ADAMW: {
        AdamConfig.Builder b =
            AdamConfig.read(
                r,
                name.equals(AdamConfig.ADAMW)
                    ? AdamConfig.WeightDecay.DECOUPLED
                    : AdamConfig.WeightDecay.COUPLED);
        return finish(r, b.problems(), b::build, problems, before);
      }
      case LambConfig.NAME: {
        LambConfig.Builder b = LambConfig.read(r);
        return finish(r, b.problems(), b::build, problems, before);
      }
      case LarsConfig.NAME: {
        LarsConfig.Builder b = LarsConfig.read(r);
        return finish(r, b.problems(), b::build, problems, before);
      }
      case SignConfig.SIGN:
      case SignConfig.SIGNUM: {
        SignConfig.Variant variant =
            name.equals(SignConfig.SIGNUM) ? SignConfig.Variant.SIGNUM : SignConfig.Variant.SIGN;
        SignConfig.Builder b = SignConfig.read(r, variant);
        return finish(r, b.problems(), b::build, problems, before);
      }
      default: {
        RpropConfig.Variant variant = RpropConfig.Variant.of(name);
        if (variant == null) {
          r.problem("name", "unknown optimizer '" + name + "'; one of " + NAMES
              + org.sparkprop.driver.config.DidYouMean.hint(name, NAMES));
          return null;
        }
        RpropConfig.Builder b = RpropConfig.read(r, variant);
        return finish(r, b.problems(), b::build, problems, before);
      }
    }
  }

  private static OptimizerConfig finish(
      ConfigReader r,
      List<String> rangeProblems,
      Supplier<? extends OptimizerConfig> build,
      List<String> problems,
      int before) {
    r.addRangeProblems(rangeProblems);
    return problems.size() == before ? build.get() : null;
  }

  /**
   * Problems of a combination of an optimizer and a schedule: the Rprop family ignores the
   * learning rate (it adapts its own step sizes), so only a constant schedule without warm-up is
   * accepted with it. Appends {@code "lr_schedule.type: ..."} lines.
   */
  public static void checkCombination(
      OptimizerConfig optimizer, LrSchedule schedule, List<String> problems) {
    if (optimizer instanceof RpropConfig && !schedule.isConstant()) {
      problems.add(
          Checks.prefix(LrSchedule.SECTION, "type")
              + optimizer.name() + " adapts its own step sizes and ignores the learning rate;"
              + " use type = constant without warm-up, got " + schedule.describe());
    }
  }
}
