package org.sparkprop.driver.export;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * The standard ONNX operators sparkprop's graphs use that Tribuo's {@link ONNXOperators} does
 * not list, at the same opset.
 */
enum OnnxOps implements ONNXOperator {
  RELU("Relu"),
  TANH("Tanh"),
  /** {@code alpha}: the slope for negative inputs. */
  LEAKY_RELU("LeakyRelu", new ONNXAttribute("alpha", AttributeType.FLOAT, false)),
  /** {@code axis}, {@code keepdims}; ties go to the first index, as sparkprop's argmax. */
  ARG_MAX("ArgMax", new ONNXAttribute("axis", AttributeType.INT, false),
      new ONNXAttribute("keepdims", AttributeType.INT, false));

  private final String opName;
  private final Map<String, ONNXAttribute> attributes;

  OnnxOps(String opName, ONNXAttribute... attributes) {
    this.opName = opName;
    Map<String, ONNXAttribute> m = new LinkedHashMap<>();
    for (ONNXAttribute a : attributes) {
      m.put(a.getName(), a);
    }
    this.attributes = Collections.unmodifiableMap(m);
  }

  @Override
  public String getOpName() {
    return opName;
  }

  @Override
  public int getNumInputs() {
    return 1;
  }

  @Override
  public int getNumOptionalInputs() {
    return 0;
  }

  @Override
  public int getNumOutputs() {
    return 1;
  }

  @Override
  public Map<String, ONNXAttribute> getAttributes() {
    return attributes;
  }

  @Override
  public Set<String> getMandatoryAttributeNames() {
    return Collections.emptySet();
  }

  @Override
  public int getOpVersion() {
    return ONNXOperators.getOpsetVersion();
  }

  @Override
  public String getOpDomain() {
    return "";
  }
}
