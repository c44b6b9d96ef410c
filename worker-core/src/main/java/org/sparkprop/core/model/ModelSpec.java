package org.sparkprop.core.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The architecture of a model: what {@link Network} computes and how many parameters it has.
 * Immutable; build one with the static factories, which validate their arguments.
 *
 * <p>Labels: regression models ({@link OutputLoss#MSE} with one output) take any finite value;
 * binary models ({@link OutputLoss#BINARY_CROSS_ENTROPY}) take 0 or 1; other classifiers take a
 * class index {@code 0 .. numClasses() - 1} stored as a float.
 */
public final class ModelSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The model families. */
  public enum Kind {
    LINEAR_REGRESSION("linear_regression"),
    LOGISTIC_REGRESSION("logistic_regression"),
    SOFTMAX_REGRESSION("softmax_regression"),
    MLP("mlp");

    private final String configName;

    Kind(String configName) {
      this.configName = configName;
    }

    /** The name used in configuration files, e.g. {@code "logistic_regression"}. */
    public String configName() {
      return configName;
    }

    /**
     * The kind with the given config name (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the valid choices if there is none
     */
    public static Kind fromName(String name) {
      if (name != null) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Kind k : values()) {
          if (k.configName.equals(n)) {
            return k;
          }
        }
      }
      StringBuilder sb = new StringBuilder();
      for (Kind k : values()) {
        sb.append(sb.length() > 0 ? ", " : "").append(k.configName);
      }
      throw new IllegalArgumentException("unknown model kind '" + name + "': expected one of " + sb);
    }
  }

  private final Kind kind;
  private final int inputDim;
  private final int[] hidden;
  private final Activation activation;
  private final int numOutputs;
  private final OutputLoss loss;
  private final ParamLayout layout;

  private ModelSpec(
      Kind kind, int inputDim, int[] hidden, Activation activation, int numOutputs, OutputLoss loss) {
    if (inputDim <= 0) {
      throw new IllegalArgumentException("inputDim must be positive, got " + inputDim);
    }
    this.kind = kind;
    this.inputDim = inputDim;
    this.hidden = hidden.clone();
    this.activation = activation;
    this.numOutputs = numOutputs;
    this.loss = loss;
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = inputDim;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = numOutputs;
    this.layout = new ParamLayout(sizes);
  }

  /** Linear regression {@code y = x · w + b}: one output, {@link OutputLoss#MSE}. */
  public static ModelSpec linearRegression(int inputDim) {
    return new ModelSpec(Kind.LINEAR_REGRESSION, inputDim, new int[0], Activation.IDENTITY, 1, OutputLoss.MSE);
  }

  /** Logistic regression {@code P(y=1) = sigmoid(x · w + b)}: one output, binary cross-entropy. */
  public static ModelSpec logisticRegression(int inputDim) {
    return new ModelSpec(
        Kind.LOGISTIC_REGRESSION, inputDim, new int[0], Activation.IDENTITY, 1,
        OutputLoss.BINARY_CROSS_ENTROPY);
  }

  /** Multinomial logistic regression over {@code numClasses >= 2} classes, softmax cross-entropy. */
  public static ModelSpec softmaxRegression(int inputDim, int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException(
          "softmax_regression needs at least 2 classes, got " + numClasses);
    }
    return new ModelSpec(
        Kind.SOFTMAX_REGRESSION, inputDim, new int[0], Activation.IDENTITY, numClasses,
        OutputLoss.SOFTMAX_CROSS_ENTROPY);
  }

  /**
   * A multi-layer perceptron: fully connected hidden layers of the given widths, all with {@code
   * act}, then a linear output layer of {@code numOutputs} read by {@code loss}.
   *
   * <ul>
   *   <li>{@link OutputLoss#MSE}: regression when {@code numOutputs == 1}, otherwise a classifier
   *       trained on one-hot targets;
   *   <li>{@link OutputLoss#SOFTMAX_CROSS_ENTROPY}: a classifier, {@code numOutputs >= 2};
   *   <li>{@link OutputLoss#BINARY_CROSS_ENTROPY}: a binary classifier, {@code numOutputs == 1}.
   * </ul>
   *
   * @throws IllegalArgumentException if there is no hidden layer, a width is not positive, or
   *     the loss does not fit the number of outputs
   */
  public static ModelSpec mlp(
      int inputDim, int[] hidden, Activation act, int numOutputs, OutputLoss loss) {
    Objects.requireNonNull(hidden, "hidden");
    Objects.requireNonNull(act, "act");
    Objects.requireNonNull(loss, "loss");
    if (hidden.length == 0) {
      throw new IllegalArgumentException(
          "an mlp needs at least one hidden layer; without one use linear_regression, "
              + "logistic_regression or softmax_regression");
    }
    for (int h : hidden) {
      if (h <= 0) {
        throw new IllegalArgumentException(
            "hidden layer widths must be positive, got " + Arrays.toString(hidden));
      }
    }
    if (numOutputs <= 0) {
      throw new IllegalArgumentException("numOutputs must be positive, got " + numOutputs);
    }
    if (loss == OutputLoss.SOFTMAX_CROSS_ENTROPY && numOutputs < 2) {
      throw new IllegalArgumentException(
          "softmax_cross_entropy needs at least 2 outputs, got " + numOutputs
              + " (use binary_cross_entropy for one)");
    }
    if (loss == OutputLoss.BINARY_CROSS_ENTROPY && numOutputs != 1) {
      throw new IllegalArgumentException(
          "binary_cross_entropy needs exactly 1 output, got " + numOutputs
              + " (use softmax_cross_entropy for more classes)");
    }
    return new ModelSpec(Kind.MLP, inputDim, hidden, act, numOutputs, loss);
  }

  public Kind kind() {
    return kind;
  }

  /** Number of input features. */
  public int inputDim() {
    return inputDim;
  }

  /** Hidden layer widths (a copy; empty for the linear models). */
  public int[] hidden() {
    return hidden.clone();
  }

  /** Activation of the hidden layers ({@link Activation#IDENTITY} for the linear models). */
  public Activation activation() {
    return activation;
  }

  /** Width of the output layer. */
  public int numOutputs() {
    return numOutputs;
  }

  public OutputLoss loss() {
    return loss;
  }

  /** Layout of the flat parameter vector. */
  public ParamLayout layout() {
    return layout;
  }

  /** Length of the flat parameter vector. */
  public int numParams() {
    return layout.numParams();
  }

  /** True for cross-entropy models and for MSE with more than one output (one-hot targets). */
  public boolean isClassification() {
    return loss != OutputLoss.MSE || numOutputs > 1;
  }

  /** Number of classes: 2 for binary cross-entropy, {@code numOutputs} for other classifiers, 0 for regression. */
  public int numClasses() {
    if (loss == OutputLoss.BINARY_CROSS_ENTROPY) {
      return 2;
    }
    return isClassification() ? numOutputs : 0;
  }

  /**
   * Checks one label.
   *
   * @return null if the label is valid for this model, otherwise a short message such as {@code
   *     "label 10 is out of range: expected a class index in [0, 10)"}
   */
  public String labelProblem(float label) {
    if (!Float.isFinite(label)) {
      return "label " + formatLabel(label) + " is not a finite number";
    }
    if (loss == OutputLoss.BINARY_CROSS_ENTROPY) {
      return label == 0f || label == 1f
          ? null
          : "label " + formatLabel(label) + " is invalid: expected 0 or 1";
    }
    if (!isClassification()) {
      return null;
    }
    if (label != Math.rint(label)) {
      return "label " + formatLabel(label) + " is not a class index: expected an integer in [0, "
          + numOutputs + ")";
    }
    if (label < 0 || label >= numOutputs) {
      return "label " + formatLabel(label) + " is out of range: expected a class index in [0, "
          + numOutputs + ")";
    }
    return null;
  }

  /** Integral labels without a decimal point ("10"), others as {@link Float#toString} (locale-free). */
  static String formatLabel(float label) {
    if (Float.isFinite(label) && label == Math.rint(label) && Math.abs(label) < 1e15f) {
      return Long.toString((long) label);
    }
    return Float.toString(label);
  }

  /**
   * A one-line summary, e.g. {@code "mlp 784-256-10 relu softmax_cross_entropy"} or {@code
   * "logistic_regression 1048576-1 binary_cross_entropy"}.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder(kind.configName()).append(' ').append(inputDim);
    for (int h : hidden) {
      sb.append('-').append(h);
    }
    sb.append('-').append(numOutputs);
    if (kind == Kind.MLP) {
      sb.append(' ').append(activation.configName());
    }
    return sb.append(' ').append(loss.configName()).toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ModelSpec)) {
      return false;
    }
    ModelSpec m = (ModelSpec) o;
    return kind == m.kind
        && inputDim == m.inputDim
        && Arrays.equals(hidden, m.hidden)
        && activation == m.activation
        && numOutputs == m.numOutputs
        && loss == m.loss;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, inputDim, Arrays.hashCode(hidden), activation, numOutputs, loss);
  }

  @Override
  public String toString() {
    return "ModelSpec[" + describe() + ", " + numParams() + " params]";
  }
}
