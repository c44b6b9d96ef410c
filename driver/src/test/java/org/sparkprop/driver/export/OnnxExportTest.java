package org.sparkprop.driver.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.sparkprop.core.data.RowSink;
import org.sparkprop.core.model.Activation;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.model.OutputLoss;
import org.sparkprop.driver.Main;
import org.sparkprop.driver.data.LabelMap;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.predict.TrainedModel;

/** Exported models run in ONNX Runtime and give sparkprop's predictions within 1e-5. */
class OnnxExportTest {
  @TempDir Path dir;

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("softmax, labels [2, 1, 7]", ModelSpec.softmaxRegression(5, 3),
            LabelMap.of(new double[] {2, 1, 7})),
        Arguments.of("mlp relu", ModelSpec.mlp(6, new int[] {16}, Activation.RELU, 4,
            OutputLoss.SOFTMAX_CROSS_ENTROPY), null),
        Arguments.of("mlp two leaky_relu layers, signed labels",
            ModelSpec.mlp(7, new int[] {9, 5}, Activation.LEAKY_RELU, 1,
                OutputLoss.BINARY_CROSS_ENTROPY), LabelMap.signed()),
        Arguments.of("mlp tanh binary", ModelSpec.mlp(4, new int[] {8}, Activation.TANH, 1,
            OutputLoss.BINARY_CROSS_ENTROPY), null),
        Arguments.of("mlp sigmoid regression", ModelSpec.mlp(3, new int[] {6}, Activation.SIGMOID,
            1, OutputLoss.MSE), null),
        Arguments.of("mlp identity regression", ModelSpec.mlp(3, new int[] {4},
            Activation.IDENTITY, 1, OutputLoss.MSE), null),
        Arguments.of("linear regression", ModelSpec.linearRegression(8), null),
        Arguments.of("logistic regression", ModelSpec.logisticRegression(8), LabelMap.signed()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void onnxRuntimeGivesSparkpropsPredictions(String name, ModelSpec spec, LabelMap labels)
      throws Exception {
    float[] params = new float[spec.numParams()];
    new Network(spec).init(params, 17);
    Random r = new Random(3);
    for (int i = 0; i < params.length; i++) {
      params[i] += 0.3f * (float) r.nextGaussian(); // biases too, not just the init's zeros
    }
    TrainedModel model = new TrainedModel(spec, params, labels);
    int n = 64;
    int d = spec.inputDim();
    float[][] x = new float[n][d];
    RowSink sink = RowSink.dense(d);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = (float) (2 * r.nextGaussian());
      }
      sink.addDense(x[i], 0f);
    }
    TrainedModel.Scores expected = model.score(sink.finish());

    byte[] onnx = OnnxExport.encode(model, "test", name);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(env, x);
        OrtSession.Result result = session.run(Map.of("features", input))) {
      float[][] prediction = (float[][]) result.get("prediction").get().getValue();
      if (spec.isClassification()) {
        float[][] p = (float[][]) result.get("probability").get().getValue();
        int k = expected.classes();
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < k; c++) {
            assertEquals(expected.probability()[i * k + c], p[i][c], 1e-5,
                "row " + i + " class " + c);
          }
          assertEquals(expected.prediction()[i], prediction[i][0], "row " + i + " label");
        }
      } else {
        for (int i = 0; i < n; i++) {
          assertEquals(expected.prediction()[i], prediction[i][0],
              1e-5 * Math.max(1, Math.abs(expected.prediction()[i])), "row " + i);
        }
      }
    }
  }

  @Test
  void theCommandWritesAFileOnnxRuntimeLoadsAndRefusesToOverwrite() throws Exception {
    ModelSpec spec = ModelSpec.softmaxRegression(4, 3);
    float[] params = new float[spec.numParams()];
    new Network(spec).init(params, 1);
    Path model = dir.resolve("m.sprp");
    Files.write(model, ModelFile.encode(spec, params, 10, 1, "h"));
    Path out = dir.resolve("m.onnx");
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"export", "--model", model.toString(), "--out",
        out.toString()}, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    assertEquals(0, code, e.toString(StandardCharsets.UTF_8));
    assertTrue(o.toString(StandardCharsets.UTF_8).contains("written to " + out + " as ONNX"));
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(out.toString(),
        new OrtSession.SessionOptions())) {
      assertEquals(java.util.Set.of("probability", "prediction"), s.getOutputNames());
      assertEquals("sparkprop", s.getMetadata().getProducerName());
    }
    e.reset();
    code = Main.run(new String[] {"export", "--model", model.toString(), "--out",
        out.toString()}, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    assertEquals(1, code);
    assertEquals("sparkprop export: --out " + out + " exists: give another path, or "
        + "--overwrite to replace it\n", e.toString(StandardCharsets.UTF_8));
  }
}
