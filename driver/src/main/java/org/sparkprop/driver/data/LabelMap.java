package org.sparkprop.driver.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * How a classifier's class indices relate to the labels in the user's data: class i is the label
 * {@code values[i]}. Training maps each label to its class; predictions map back, so a model
 * trained on a LIBSVM set labelled -1/+1 predicts -1/+1. Stored in the model file.
 *
 * <p>Settings ({@code data.labels}): {@code index} (labels are the class indices 0..K-1),
 * {@code one_based} (1..K), {@code signed} (-1/+1, binary), an explicit list {@code [v0, v1,
 * ...]}, or {@code auto}, which picks one of the first three from the labels found, and refuses
 * when the choice would be a guess.
 */
public final class LabelMap implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] values;

  private LabelMap(double[] values) {
    this.values = values;
  }

  /** Labels 0..k-1 are classes 0..k-1. */
  public static LabelMap index(int k) {
    double[] v = new double[k];
    for (int i = 0; i < k; i++) {
      v[i] = i;
    }
    return new LabelMap(v);
  }

  /** Labels 1..k are classes 0..k-1. */
  public static LabelMap oneBased(int k) {
    double[] v = new double[k];
    for (int i = 0; i < k; i++) {
      v[i] = i + 1;
    }
    return new LabelMap(v);
  }

  /** Labels -1/+1 are classes 0/1. */
  public static LabelMap signed() {
    return new LabelMap(new double[] {-1, 1});
  }

  /**
   * Class i is label {@code values[i]}.
   *
   * @throws IllegalArgumentException for a repeated or non-finite value
   */
  public static LabelMap of(double[] values) {
    double[] v = values.clone();
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException("label " + v[i] + " is not a finite number");
      }
      for (int j = 0; j < i; j++) {
        if (v[j] == v[i]) {
          throw new IllegalArgumentException("label " + format(v[i]) + " appears twice");
        }
      }
    }
    return new LabelMap(v);
  }

  /** The mapping a setting names for a model of {@code classes} classes. */
  public static LabelMap forSetting(String setting, int classes) {
    switch (setting) {
      case "index":
        return index(classes);
      case "one_based":
        return oneBased(classes);
      case "signed":
        return signed();
      default:
        throw new IllegalArgumentException("not a fixed setting: " + setting);
    }
  }

  /**
   * The mapping {@code data.labels = auto} picks for the labels found in the data.
   *
   * @param found every distinct label of the training data
   * @param classes the model's class count
   * @throws IllegalArgumentException saying which setting to use when the labels do not say
   */
  public static LabelMap choose(SortedSet<Double> found, int classes) {
    String seen = describe(found);
    double min = found.first();
    double max = found.last();
    boolean integral = found.stream().allMatch(v -> v == Math.rint(v));
    if (classes == 2 && found.equals(new java.util.TreeSet<>(Arrays.asList(-1.0, 1.0)))) {
      return signed();
    }
    if (!integral) {
      throw new IllegalArgumentException("the labels " + seen + " are not class numbers: set "
          + "data.labels to the list of the " + classes + " labels in class order");
    }
    if (min >= 1 && max < classes && classes > 2) { // (binary labels 1 alone: the usual 0/1)
      throw new IllegalArgumentException("the labels " + seen + " fit classes 0.." + (classes - 1)
          + " with class 0 never seen (data.labels = index) and 1.." + classes + " with class "
          + classes + " never seen (one_based): set data.labels to the one you mean");
    }
    if (min >= 0 && max < classes) {
      return index(classes);
    }
    if (min >= 1 && max == classes) {
      return oneBased(classes);
    }
    if (min == -1 && max == 1 && found.size() == 3) {
      throw new IllegalArgumentException("the labels " + seen + " are three values for a "
          + classes + "-class model: set data.labels = [-1, 0, 1] (in class order)");
    }
    throw new IllegalArgumentException("the labels " + seen + " fit neither classes 0.." + (classes
        - 1) + " (data.labels = index) nor 1.." + classes + " (one_based)" + (classes == 2
        ? " nor -1/+1 (signed)" : "") + ": check model.outputs, or set data.labels to the list "
        + "of the labels in class order");
  }

  /** The class of label {@code raw}, or -1 when it is none of the labels. */
  public int classOf(double raw) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == raw) {
        return i;
      }
    }
    return -1;
  }

  /** The user's label of class {@code c}. */
  public double labelOf(int c) {
    return values[c];
  }

  /** The number of classes. */
  public int size() {
    return values.length;
  }

  /** The labels in class order (a copy). */
  public double[] values() {
    return values.clone();
  }

  /** True when label i is class i for every class. */
  public boolean isIndex() {
    for (int i = 0; i < values.length; i++) {
      if (values[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** "-1, +1"-style description: the labels in class order. */
  public String describe() {
    return Arrays.stream(values).mapToObj(LabelMap::format).collect(Collectors.joining(", ",
        "[", "]"));
  }

  static String describe(SortedSet<Double> found) {
    String all = found.stream().limit(12).map(LabelMap::format).collect(Collectors.joining(", "));
    return "{" + all + (found.size() > 12 ? ", ... (" + found.size() + " values)" : "") + "}";
  }

  /** A label as the user wrote it: integral values without a decimal point. */
  public static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMap && Arrays.equals(values, ((LabelMap) o).values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "LabelMap" + describe();
  }
}
