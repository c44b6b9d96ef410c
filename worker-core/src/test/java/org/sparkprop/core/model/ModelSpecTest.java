package org.sparkprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** ModelSpec, ParamLayout, Activation and Kind: factories, validation, naming, layout arithmetic. */
class ModelSpecTest {

  @Test
  void factoriesAndDerivedProperties() {
    ModelSpec lin = ModelSpec.linearRegression(5);
    assertEquals(ModelSpec.Kind.LINEAR_REGRESSION, lin.kind());
    assertEquals(6, lin.numParams());
    assertFalse(lin.isClassification());
    assertEquals(0, lin.numClasses());
    assertEquals(OutputLoss.MSE, lin.loss());
    assertEquals("linear_regression 5-1 mse", lin.describe());

    ModelSpec log = ModelSpec.logisticRegression(5);
    assertTrue(log.isClassification());
    assertEquals(2, log.numClasses());
    assertEquals(1, log.numOutputs());
    assertEquals("logistic_regression 5-1 binary_cross_entropy", log.describe());

    ModelSpec soft = ModelSpec.softmaxRegression(5, 4);
    assertEquals(24, soft.numParams());
    assertEquals(4, soft.numClasses());
    assertArrayEquals(new int[0], soft.hidden());

    ModelSpec mlp = ModelSpec.mlp(784, new int[] {256, 128}, Activation.RELU, 10, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    assertEquals("mlp 784-256-128-10 relu softmax_cross_entropy", mlp.describe());
    assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, mlp.numParams());
    assertEquals(10, mlp.numClasses());
    assertEquals("ModelSpec[mlp 784-256-128-10 relu softmax_cross_entropy, 235146 params]", mlp.toString());

    ModelSpec reg = ModelSpec.mlp(3, new int[] {4}, Activation.TANH, 1, OutputLoss.MSE);
    assertFalse(reg.isClassification());
    assertEquals(0, reg.numClasses());
    ModelSpec oneHot = ModelSpec.mlp(3, new int[] {4}, Activation.TANH, 3, OutputLoss.MSE);
    assertTrue(oneHot.isClassification());
    assertEquals(3, oneHot.numClasses());
    ModelSpec binary = ModelSpec.mlp(3, new int[] {4}, Activation.TANH, 1, OutputLoss.BINARY_CROSS_ENTROPY);
    assertEquals(2, binary.numClasses());
  }

  @Test
  void hiddenIsCopied() {
    int[] hidden = {4, 3};
    ModelSpec s = ModelSpec.mlp(2, hidden, Activation.RELU, 2, OutputLoss.SOFTMAX_CROSS_ENTROPY);
    hidden[0] = 99;
    s.hidden()[1] = 99;
    assertArrayEquals(new int[] {4, 3}, s.hidden());
  }

  @Test
  void validation() {
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.linearRegression(0));
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.softmaxRegression(3, 1));
    assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.mlp(3, new int[0], Activation.RELU, 2, OutputLoss.SOFTMAX_CROSS_ENTROPY));
    assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.mlp(3, new int[] {0}, Activation.RELU, 2, OutputLoss.SOFTMAX_CROSS_ENTROPY));
    assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.mlp(3, new int[] {2}, Activation.RELU, 1, OutputLoss.SOFTMAX_CROSS_ENTROPY));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.mlp(3, new int[] {2}, Activation.RELU, 3, OutputLoss.BINARY_CROSS_ENTROPY));
    assertTrue(e.getMessage().contains("exactly 1 output"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.mlp(3, new int[] {2}, Activation.RELU, 0, OutputLoss.MSE));
    assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.mlp(1 << 20, new int[] {4096}, Activation.RELU, 2, OutputLoss.SOFTMAX_CROSS_ENTROPY));
  }

  @Test
  void labelProblems() {
    ModelSpec soft = ModelSpec.softmaxRegression(3, 10);
    assertNull(soft.labelProblem(0));
    assertNull(soft.labelProblem(9));
    assertEquals("label 10 is out of range: expected a class index in [0, 10)", soft.labelProblem(10));
    assertEquals("label -1 is out of range: expected a class index in [0, 10)", soft.labelProblem(-1));
    assertEquals("label 2.5 is not a class index: expected an integer in [0, 10)", soft.labelProblem(2.5f));
    assertEquals("label NaN is not a finite number", soft.labelProblem(Float.NaN));

    ModelSpec log = ModelSpec.logisticRegression(3);
    assertNull(log.labelProblem(0));
    assertNull(log.labelProblem(1));
    assertEquals("label 2 is invalid: expected 0 or 1", log.labelProblem(2));
    assertEquals("label -1 is invalid: expected 0 or 1", log.labelProblem(-1));

    ModelSpec lin = ModelSpec.linearRegression(3);
    assertNull(lin.labelProblem(-123.25f));
    assertEquals("label Infinity is not a finite number", lin.labelProblem(Float.POSITIVE_INFINITY));

    ModelSpec oneHot = ModelSpec.mlp(3, new int[] {4}, Activation.TANH, 3, OutputLoss.MSE);
    assertEquals("label 3 is out of range: expected a class index in [0, 3)", oneHot.labelProblem(3));
  }

  @Test
  void equalityAndSerialization() throws Exception {
    ModelSpec a = ModelSpec.mlp(7, new int[] {5, 4}, Activation.LEAKY_RELU, 3, OutputLoss.MSE);
    ModelSpec b = ModelSpec.mlp(7, new int[] {5, 4}, Activation.LEAKY_RELU, 3, OutputLoss.MSE);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, ModelSpec.mlp(7, new int[] {5, 4}, Activation.RELU, 3, OutputLoss.MSE));
    assertNotEquals(a, ModelSpec.mlp(7, new int[] {5, 3}, Activation.LEAKY_RELU, 3, OutputLoss.MSE));
    assertNotEquals(ModelSpec.linearRegression(3), ModelSpec.logisticRegression(3));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ModelSpec c = (ModelSpec) in.readObject();
      assertEquals(a, c);
      assertEquals(a.layout(), c.layout());
    }
  }

  @Test
  void layout() {
    ParamLayout l = ModelSpec.mlp(3, new int[] {4}, Activation.RELU, 2, OutputLoss.SOFTMAX_CROSS_ENTROPY).layout();
    assertEquals(2, l.numLayers());
    assertEquals(3, l.inputSize(0));
    assertEquals(4, l.outputSize(0));
    assertEquals(4, l.inputSize(1));
    assertEquals(2, l.outputSize(1));
    assertEquals(0, l.weightOffset(0));
    assertEquals(12, l.biasOffset(0));
    assertEquals(16, l.weightOffset(1));
    assertEquals(24, l.biasOffset(1));
    assertEquals(26, l.numParams());
    boolean[] mask = l.biasMask();
    for (int i = 0; i < 26; i++) {
      assertEquals((i >= 12 && i < 16) || i >= 24, mask[i], "index " + i);
    }
    assertEquals("layer 0: W 3x4 at 0, b 4 at 12\nlayer 1: W 4x2 at 16, b 2 at 24\n26 parameters", l.describe());
    assertEquals(new ParamLayout(3, 4, 2), l);
    assertArrayEquals(new int[] {3, 4, 2}, l.sizes());
    assertThrows(IndexOutOfBoundsException.class, () -> l.inputSize(2));
    assertThrows(IllegalArgumentException.class, () -> new ParamLayout(3));
    assertThrows(IllegalArgumentException.class, () -> new ParamLayout(3, 0));
  }

  @Test
  void names() {
    for (Activation a : Activation.values()) {
      assertEquals(a, Activation.fromName(a.configName()));
    }
    assertEquals(Activation.LEAKY_RELU, Activation.fromName("leaky_relu"));
    assertEquals(Activation.RELU, Activation.fromName(" ReLU"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.fromName("gelu"));
    assertEquals("unknown activation 'gelu': expected one of relu, leaky_relu, tanh, sigmoid, identity", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Activation.fromName(null));

    for (ModelSpec.Kind k : ModelSpec.Kind.values()) {
      assertEquals(k, ModelSpec.Kind.fromName(k.configName()));
    }
    assertEquals("mlp", ModelSpec.Kind.MLP.configName());
    e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.Kind.fromName("svm"));
    assertEquals("unknown model kind 'svm': expected one of linear_regression, logistic_regression, "
        + "softmax_regression, mlp", e.getMessage());
  }
}
