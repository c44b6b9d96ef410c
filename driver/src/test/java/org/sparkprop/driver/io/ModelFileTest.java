package org.sparkprop.driver.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.core.model.Activation;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.OutputLoss;

/** The model file format: exact round trip, loud on corruption, frozen version 1 bytes. */
class ModelFileTest {
  @TempDir Path dir;
  private static final ModelSpec MLP = ModelSpec.mlp(3, new int[] {2}, Activation.TANH, 2,
      OutputLoss.SOFTMAX_CROSS_ENTROPY);

  private static float[] params(int n) {
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = (i - 7) * 0.125f;
    }
    return p;
  }

  @Test
  void roundTripIsExact() throws Exception {
    float[] p = params(MLP.numParams());
    p[0] = Float.MIN_VALUE;
    p[1] = -0.0f;
    ModelFile.Contents c = ModelFile.decode(ModelFile.encode(MLP, p, 17, 5, "abc"), "x");
    assertEquals(MLP, c.spec());
    assertArrayEquals(p, c.params());
    assertEquals(17, c.step());
    assertEquals(5, c.seed());
    assertEquals("abc", c.configHash());
  }

  @Test
  void layoutIsPlainLittleEndianFloat32() throws Exception {
    ModelSpec lin = ModelSpec.linearRegression(2);
    byte[] bytes = ModelFile.encode(lin, new float[] {1.5f, -2f, 0.25f}, 0, 0, "");
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int h = b.getInt(8);
    String header = new String(bytes, 12, h, StandardCharsets.UTF_8);
    assertTrue(header.contains("\"format_version\":2"), header);
    assertTrue(header.contains("\"num_params\":3"), header);
    assertEquals(1.5f, b.getFloat(12 + h));
    assertEquals(-2f, b.getFloat(12 + h + 4));
    assertEquals(0.25f, b.getFloat(12 + h + 8));
    assertEquals(12 + h + 12 + 4, bytes.length);
  }

  @Test
  void everyFlippedByteIsDetected() {
    byte[] good = ModelFile.encode(MLP, params(MLP.numParams()), 1, 2, "h");
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      assertThrows(IOException.class, () -> ModelFile.decode(bad, "m"), "byte " + i);
    }
  }

  @Test
  void truncationIsDetectedAndNamed() {
    byte[] good = ModelFile.encode(MLP, params(MLP.numParams()), 1, 2, "h");
    IOException e = assertThrows(IOException.class,
        () -> ModelFile.decode(Arrays.copyOf(good, good.length - 9), "model.sprp"));
    assertTrue(e.getMessage().startsWith("model.sprp: "), e.getMessage());
  }

  /** A committed version-1 file: if this stops decoding, the format changed silently. */
  @Test
  void frozenVersionOneSampleStillDecodes() throws Exception {
    byte[] bytes = getClass().getResourceAsStream("/formats/model-v1.sprp").readAllBytes();
    ModelFile.Contents c = ModelFile.decode(bytes, "model-v1.sprp");
    assertEquals(MLP, c.spec());
    assertArrayEquals(params(MLP.numParams()), c.params());
    assertEquals(1234, c.step());
    assertEquals(99, c.seed());
    assertEquals(org.sparkprop.driver.data.LabelMap.index(2), c.labels(), "v1: class i is label i");
  }

  /** A committed version-2 file, with a classifier's labels (-1, +1). */
  @Test
  void frozenVersionTwoSampleDecodesWithItsLabels() throws Exception {
    byte[] bytes = getClass().getResourceAsStream("/formats/model-v2.sprp").readAllBytes();
    ModelFile.Contents c = ModelFile.decode(bytes, "model-v2.sprp");
    assertEquals(MLP, c.spec());
    assertArrayEquals(params(MLP.numParams()), c.params());
    assertEquals(org.sparkprop.driver.data.LabelMap.signed(), c.labels());
    assertEquals(4321, c.step());
  }

  @Test
  void labelsRoundTripAndRegressorsHaveNone() throws Exception {
    org.sparkprop.driver.data.LabelMap labels = org.sparkprop.driver.data.LabelMap.of(
        new double[] {7, 3.5});
    ModelFile.Contents c = ModelFile.decode(ModelFile.encode(MLP, params(MLP.numParams()), 1, 2,
        "h", labels), "m");
    assertEquals(labels, c.labels());
    ModelSpec lin = ModelSpec.linearRegression(2);
    assertEquals(null, ModelFile.decode(ModelFile.encode(lin, new float[3], 0, 0, ""), "m")
        .labels());
  }

  @Test
  void atomicWriteReplacesWithoutLeavingTemporaries() throws Exception {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(
        dir.resolve("m/model.sprp").toString());
    Configuration conf = new Configuration();
    ModelFile.write(target, conf, MLP, params(MLP.numParams()), 1, 2, "a", null);
    float[] second = params(MLP.numParams());
    second[3] = 42f;
    ModelFile.write(target, conf, MLP, second, 2, 2, "a", null);
    assertArrayEquals(second, ModelFile.read(target, conf).params());
    try (var files = Files.list(dir.resolve("m"))) {
      assertEquals(1, files.filter(p -> !p.getFileName().toString().endsWith(".crc")).count());
    }
    assertFalse(Files.exists(dir.resolve("m/.model.sprp.tmp")));
  }

  /**
   * Writes the frozen samples (run by hand when a new format version is introduced): ARGS are
   * the version-2 file to write (the version-1 file was written by version 1's code).
   */
  public static void main(String[] args) throws IOException {
    Files.write(Path.of(args[0]), ModelFile.encode(MLP, params(MLP.numParams()), 4321, 99,
        "frozen-sample-v2", org.sparkprop.driver.data.LabelMap.signed()));
  }
}
