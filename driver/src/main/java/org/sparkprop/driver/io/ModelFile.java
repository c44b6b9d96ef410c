package org.sparkprop.driver.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.core.model.Activation;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.OutputLoss;
import org.sparkprop.core.model.ParamLayout;

/**
 * The model file: plain data a user can read from any language.
 *
 * <pre>
 *   8 bytes   magic "SPRPMODL"
 *   4 bytes   header length H, unsigned little-endian
 *   H bytes   header, UTF-8 JSON: format_version, model (type, input_dim, hidden, activation,
 *             outputs, loss), layout (per layer: in, out, weight_offset, bias_offset),
 *             num_params, step, seed, config_hash
 *   4*n bytes parameters, float32 little-endian, n = num_params, layout order
 *   4 bytes   CRC-32C of every byte before it, little-endian
 * </pre>
 *
 * Written to a temporary name in the same directory and renamed, so a crash never leaves a
 * half-written file under the final name.
 */
public final class ModelFile {
  public static final int FORMAT_VERSION = 1;
  static final byte[] MAGIC = "SPRPMODL".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A model read back from a file. */
  public record Contents(ModelSpec spec, float[] params, long step, long seed, String configHash) {}

  private ModelFile() {}

  /** Encodes a model into bytes. */
  public static byte[] encode(ModelSpec spec, float[] params, long step, long seed,
      String configHash) {
    if (params.length != spec.numParams()) {
      throw new IllegalArgumentException("params has " + params.length + " values, the model "
          + spec.describe() + " has " + spec.numParams());
    }
    return FramedFile.encode(MAGIC, header(spec, step, seed, configHash), "num_params", params);
  }

  private static ObjectNode header(ModelSpec spec, long step, long seed, String configHash) {
    ObjectNode h = JSON.createObjectNode();
    h.put("format", "sparkprop-model");
    h.put("format_version", FORMAT_VERSION);
    ObjectNode m = h.putObject("model");
    m.put("type", spec.kind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("input_dim", spec.inputDim());
    ArrayNode hidden = m.putArray("hidden");
    for (int w : spec.hidden()) {
      hidden.add(w);
    }
    m.put("activation", spec.activation().configName());
    m.put("outputs", spec.numOutputs());
    m.put("loss", spec.loss().configName());
    ParamLayout layout = spec.layout();
    ArrayNode layers = h.putArray("layout");
    for (int l = 0; l < layout.numLayers(); l++) {
      ObjectNode layer = layers.addObject();
      layer.put("in", layout.inputSize(l));
      layer.put("out", layout.outputSize(l));
      layer.put("weight_offset", layout.weightOffset(l));
      layer.put("bias_offset", layout.biasOffset(l));
    }
    h.put("dtype", "float32");
    h.put("byte_order", "little_endian");
    h.put("step", step);
    h.put("seed", seed);
    h.put("config_hash", configHash);
    return h;
  }

  /**
   * Decodes and verifies a model file's bytes.
   *
   * @throws IOException naming {@code source} and what is wrong (magic, length, checksum, header)
   */
  public static Contents decode(byte[] bytes, String source) throws IOException {
    FramedFile.Contents f = FramedFile.decode(bytes, MAGIC, "a sparkprop model file",
        FORMAT_VERSION, "num_params", source);
    JsonNode h = f.header();
    ModelSpec spec = specOf(h.path("model"), source);
    if (f.values().length != spec.numParams()) {
      throw new FileFormatException(source + ": num_params " + f.values().length
          + " does not match the model " + spec.describe() + " (" + spec.numParams() + ")");
    }
    return new Contents(spec, f.values(), h.path("step").asLong(), h.path("seed").asLong(),
        h.path("config_hash").asText());
  }

  private static ModelSpec specOf(JsonNode m, String source) throws IOException {
    try {
      String type = m.path("type").asText();
      int inputDim = m.path("input_dim").asInt();
      int outputs = m.path("outputs").asInt();
      switch (type) {
        case "linear_regression":
          return ModelSpec.linearRegression(inputDim);
        case "logistic_regression":
          return ModelSpec.logisticRegression(inputDim);
        case "softmax_regression":
          return ModelSpec.softmaxRegression(inputDim, outputs);
        case "mlp":
          int[] hidden = new int[m.path("hidden").size()];
          for (int i = 0; i < hidden.length; i++) {
            hidden[i] = m.path("hidden").get(i).asInt();
          }
          return ModelSpec.mlp(inputDim, hidden,
              Activation.fromName(m.path("activation").asText()), outputs,
              OutputLoss.valueOf(m.path("loss").asText().toUpperCase(java.util.Locale.ROOT)));
        default:
          throw new FileFormatException(source + ": unknown model type '" + type + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(source + ": bad model header: " + e.getMessage());
    }
  }

  /** Writes a model to {@code path} (any Hadoop file system) via a temporary file and rename. */
  public static void write(Path path, Configuration conf, ModelSpec spec, float[] params,
      long step, long seed, String configHash) throws IOException {
    AtomicFiles.write(path, conf, encode(spec, params, step, seed, configHash));
  }

  /** Reads and verifies a model file. */
  public static Contents read(Path path, Configuration conf) throws IOException {
    FileSystem fs = FileSystem.get(path.toUri(), conf);
    try (InputStream in = fs.open(path)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      return decode(bytes.toByteArray(), path.toString());
    }
  }
}
