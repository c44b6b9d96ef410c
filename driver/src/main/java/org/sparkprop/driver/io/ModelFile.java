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
import org.sparkprop.driver.data.LabelMap;

/**
 * The model file: plain data a user can read from any language.
 *
 * <pre>
 *   8 bytes   magic "SPRPMODL"
 *   4 bytes   header length H, unsigned little-endian
 *   H bytes   header, UTF-8 JSON: format_version, model (type, input_dim, hidden, activation,
 *             outputs, loss), layout (per layer: in, out, weight_offset, bias_offset),
 *             num_params, step, seed, config_hash, and (version 2, classifiers) labels: the
 *             data's label of each class, in class order (e.g. [-1, 1])
 *   4*n bytes parameters, float32 little-endian, n = num_params, layout order
 *   4 bytes   CRC-32C of every byte before it, little-endian
 * </pre>
 *
 * Written to a temporary name in the same directory and renamed, so a crash never leaves a
 * half-written file under the final name.
 */
public final class ModelFile {
  /** The version written; version 1 (no labels: class i is label i) is still read. */
  public static final int FORMAT_VERSION = 2;
  static final byte[] MAGIC = "SPRPMODL".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A model read back from a file.
   *
   * @param labels a classifier's labels in class order; null for regression
   */
  public record Contents(ModelSpec spec, float[] params, long step, long seed, String configHash,
      LabelMap labels) {}

  private ModelFile() {}

  /** Encodes a model whose class i is label i (or a regressor). */
  public static byte[] encode(ModelSpec spec, float[] params, long step, long seed,
      String configHash) {
    return encode(spec, params, step, seed, configHash, null);
  }

  /**
   * Encodes a model into bytes.
   *
   * @param labels a classifier's labels in class order; null: class i is label i
   */
  public static byte[] encode(ModelSpec spec, float[] params, long step, long seed,
      String configHash, LabelMap labels) {
    if (params.length != spec.numParams()) {
      throw new IllegalArgumentException("params has " + params.length + " values, the model "
          + spec.describe() + " has " + spec.numParams());
    }
    ObjectNode h = header(spec, step, seed, configHash);
    if (spec.isClassification()) {
      LabelMap l = labels == null ? LabelMap.index(spec.numClasses()) : labels;
      if (l.size() != spec.numClasses()) {
        throw new IllegalArgumentException(l.size() + " labels for " + spec.numClasses()
            + " classes");
      }
      ArrayNode a = h.putArray("labels");
      for (double v : l.values()) {
        a.add(v);
      }
    }
    return FramedFile.encode(MAGIC, h, "num_params", params);
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
    FramedFile.Contents f = FramedFile.decode(bytes, MAGIC, "a sparkprop model file", 1,
        FORMAT_VERSION, "num_params", source);
    JsonNode h = f.header();
    ModelSpec spec = specOf(h.path("model"), source);
    if (f.values().length != spec.numParams()) {
      throw new FileFormatException(source + ": num_params " + f.values().length
          + " does not match the model " + spec.describe() + " (" + spec.numParams() + ")");
    }
    return new Contents(spec, f.values(), h.path("step").asLong(), h.path("seed").asLong(),
        h.path("config_hash").asText(), labelsOf(h, spec, source));
  }

  /** A classifier's labels: as stored (version 2), else class i is label i; null for regression. */
  private static LabelMap labelsOf(JsonNode h, ModelSpec spec, String source)
      throws IOException {
    if (!spec.isClassification()) {
      return null;
    }
    JsonNode l = h.path("labels");
    if (l.isMissingNode()) {
      return LabelMap.index(spec.numClasses());
    }
    if (!l.isArray() || l.size() != spec.numClasses()) {
      throw new FileFormatException(source + ": labels " + l + " are not " + spec.numClasses()
          + " numbers");
    }
    double[] v = new double[l.size()];
    for (int i = 0; i < v.length; i++) {
      if (!l.get(i).isNumber()) {
        throw new FileFormatException(source + ": label " + l.get(i) + " is not a number");
      }
      v[i] = l.get(i).asDouble();
    }
    try {
      return LabelMap.of(v);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(source + ": bad labels: " + e.getMessage());
    }
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
      long step, long seed, String configHash, LabelMap labels) throws IOException {
    AtomicFiles.write(path, conf, encode(spec, params, step, seed, configHash, labels));
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
