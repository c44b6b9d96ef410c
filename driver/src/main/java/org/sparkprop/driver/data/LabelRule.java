package org.sparkprop.driver.data;

import java.io.Serializable;
import java.util.Locale;
import org.sparkprop.core.model.ModelSpec;

/**
 * What a reader does with each row's label: checks it for the model and stores the class index
 * (through the {@link LabelMap}) or, for regression, the value. While {@code data.labels =
 * auto} is still undecided the rule only checks that a label is a finite number and keeps it as
 * it is; the loader then picks the mapping from the labels it found.
 */
public final class LabelRule implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ModelSpec spec;
  private final LabelMap map;
  private final boolean ignore;

  private LabelRule(ModelSpec spec, LabelMap map, boolean ignore) {
    this.spec = spec;
    this.map = map;
    this.ignore = ignore;
  }

  /** Labels of {@code spec}'s model through {@code map} (null for regression). */
  public static LabelRule of(ModelSpec spec, LabelMap map) {
    return new LabelRule(spec, spec.isClassification() ? map : null, false);
  }

  /** Any finite label, kept as it is (to choose the mapping from what the data holds). */
  public static LabelRule collecting(ModelSpec spec) {
    return new LabelRule(spec, null, false);
  }

  /** Labels not looked at (predicting): any value, even a missing one, is kept as 0. */
  public static LabelRule ignoring(ModelSpec spec) {
    return new LabelRule(spec, null, true);
  }

  /** True while the mapping is still to be chosen from the labels found. */
  public boolean collecting() {
    return map == null && spec.isClassification() && !ignore;
  }

  /** True when labels are not looked at ({@link #ignoring}). */
  public boolean ignores() {
    return ignore;
  }

  /** The mapping, or null (regression, or still collecting). */
  public LabelMap map() {
    return map;
  }

  /** What is wrong with label {@code raw}, or null when it is fine. */
  public String problem(float raw) {
    if (ignore) {
      return null;
    }
    if (!Float.isFinite(raw)) {
      return "label " + raw + " is not a finite number";
    }
    if (map == null) {
      return spec.isClassification() ? null : spec.labelProblem(raw);
    }
    if (map.isIndex()) {
      return spec.labelProblem(raw);
    }
    if (map.classOf(raw) < 0) {
      return String.format(Locale.ROOT, "label %s is not one of the model's labels %s",
          LabelMap.format(raw), map.describe());
    }
    return null;
  }

  /** The label to store for {@code raw} (checked by {@link #problem}): its class, or itself. */
  public float apply(float raw) {
    return ignore ? 0f : map == null ? raw : map.classOf(raw);
  }

  /** The model the labels are for (messages name its kind). */
  public ModelSpec spec() {
    return spec;
  }
}
