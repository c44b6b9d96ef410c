package org.sparkprop.driver.export;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;
import org.sparkprop.core.model.Activation;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.OutputLoss;
import org.sparkprop.core.model.ParamLayout;
import org.sparkprop.driver.data.LabelMap;
import org.sparkprop.driver.predict.TrainedModel;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A trained model as an ONNX graph, so that it can be served outside Spark (ONNX Runtime, any
 * ONNX server). Built with Tribuo's ONNX library (the ONNX protobuf classes and a graph builder).
 *
 * <p>Input {@code features}: float32 {@code [N, D]} (dense; sparse rows densified by the
 * caller). Each layer is one {@code Gemm} with its weights {@code (in, out)} and bias, followed
 * by the hidden activation. Outputs:
 *
 * <ul>
 *   <li>a classifier: {@code probability} float32 {@code [N, K]} (softmax; a logistic model's
 *       {@code [1 - p, p]}) and {@code prediction} float32 {@code [N, 1]}, the most probable
 *       class's label in the data's own labels (ties to the lower class, as sparkprop);
 *   <li>a regressor: {@code prediction} float32 {@code [N, 1]}.
 * </ul>
 */
public final class OnnxExport {
  /** ONNX IR version written (ONNX 1.13 and later read it; opset 13 needs at least 7). */
  static final long IR_VERSION = 8;

  private OnnxExport() {}

  /** The model as ONNX bytes. */
  public static byte[] encode(TrainedModel model, String producerVersion, String docString) {
    return model(model, producerVersion, docString).toByteArray();
  }

  /** The model as an ONNX ModelProto. */
  static OnnxMl.ModelProto model(TrainedModel model, String producerVersion, String docString) {
    ModelSpec spec = model.spec();
    ONNXContext ctx = new ONNXContext();
    ctx.setName("sparkprop");
    ONNXRef<?> x = ctx.floatInput("features", spec.inputDim());
    ParamLayout layout = spec.layout();
    float[] p = model.params();
    for (int l = 0; l < layout.numLayers(); l++) {
      int in = layout.inputSize(l);
      int out = layout.outputSize(l);
      int w = layout.weightOffset(l);
      ONNXInitializer weights = ctx.floatTensor("W" + l, List.of(in, out),
          fb -> fb.put(p, w, in * out));
      float[] bias = new float[out];
      System.arraycopy(p, layout.biasOffset(l), bias, 0, out);
      ONNXInitializer b = ctx.array("b" + l, bias);
      x = ctx.operation(ONNXOperators.GEMM, List.of(x, weights, b), "z" + l);
      if (l < layout.numLayers() - 1) {
        x = activation(ctx, x, spec.activation(), l);
      }
    }
    if (!spec.isClassification()) {
      ctx.assignTo(x, ctx.floatOutput("prediction", 1));
    } else {
      ONNXRef<?> probability;
      if (spec.loss() == OutputLoss.BINARY_CROSS_ENTROPY) {
        // softmax([0, z]) = [1 - sigmoid(z), sigmoid(z)]
        ONNXRef<?> zero = ctx.operation(ONNXOperators.SUB, List.of(x, x), "zero");
        ONNXRef<?> pair = ctx.operation(ONNXOperators.CONCAT, List.of(zero, x), "pair",
            Map.of("axis", 1));
        probability = ctx.operation(ONNXOperators.SOFTMAX, List.of(pair), "softmax",
            Map.of("axis", 1));
      } else if (spec.loss() == OutputLoss.SOFTMAX_CROSS_ENTROPY) {
        probability = ctx.operation(ONNXOperators.SOFTMAX, List.of(x), "softmax",
            Map.of("axis", 1));
      } else {
        probability = x; // an MSE classifier's scores, as sparkprop's predict gives them
      }
      ctx.assignTo(probability, ctx.floatOutput("probability", spec.numClasses()));
      ONNXRef<?> index = ctx.operation(OnnxOps.ARG_MAX, List.of(probability), "class",
          Map.of("axis", 1, "keepdims", 1));
      LabelMap labels = model.labels();
      float[] values = new float[labels.size()];
      for (int c = 0; c < values.length; c++) {
        values[c] = (float) labels.labelOf(c);
      }
      ONNXInitializer table = ctx.array("labels", values);
      ONNXRef<?> label = ctx.operation(ONNXOperators.GATHER, List.of(table, index), "label",
          Map.of("axis", 0));
      ctx.assignTo(label, ctx.floatOutput("prediction", 1));
    }
    OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("sparkprop")
        .setProducerVersion(producerVersion)
        .setDomain("org.sparkprop")
        .setModelVersion(1)
        .setDocString(docString)
        .addOpsetImport(ONNXOperators.getOpsetProto())
        .setGraph(ctx.buildGraph());
    m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("model")
        .setValue(spec.describe()));
    if (spec.isClassification()) {
      m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("labels")
          .setValue(model.labels().describe()));
    }
    return m.build();
  }

  private static ONNXRef<?> activation(ONNXContext ctx, ONNXRef<?> z, Activation a, int l) {
    String name = "h" + l;
    return switch (a) {
      case RELU -> ctx.operation(OnnxOps.RELU, List.of(z), name);
      case LEAKY_RELU -> ctx.operation(OnnxOps.LEAKY_RELU, List.of(z), name,
          Map.of("alpha", (float) Activation.LEAKY_RELU_SLOPE));
      case TANH -> ctx.operation(OnnxOps.TANH, List.of(z), name);
      case SIGMOID -> ctx.operation(ONNXOperators.SIGMOID, List.of(z), name);
      case IDENTITY -> z;
    };
  }
}
