package org.sparkprop.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkprop.core.exchange.sign.PartitionSnapshot;
import org.sparkprop.core.exchange.sign.PartitionState;
import org.sparkprop.core.model.Activation;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.OutputLoss;

/**
 * Checkpoint files: an exact round trip, retention, and every kind of damage detected by the
 * manifest or a file's own header, named in the message, with the previous checkpoint used.
 */
class CheckpointFilesTest {
  private static final ModelSpec SPEC = ModelSpec.mlp(3, new int[] {2}, Activation.TANH, 2,
      OutputLoss.SOFTMAX_CROSS_ENTROPY);
  private static final Configuration CONF = new Configuration();
  @TempDir Path dir;

  private org.apache.hadoop.fs.Path runDir() {
    return new org.apache.hadoop.fs.Path(dir.toString());
  }

  private static float[] values(int n, float seed) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = seed + i * 0.25f - 1e-7f * i;
    }
    return v;
  }

  /** Writes the checkpoint of {@code step} with recognisable contents. */
  private void write(CheckpointWriter w, long step) throws IOException {
    CheckpointWriter.Pending p = w.begin(step);
    p.array("optimizer", "exp_avg", values(SPEC.numParams(), step));
    p.partition(PartitionSnapshot.of(0, step - 1,
        PartitionState.of("residual", values(SPEC.numParams(), -step))));
    ObjectNode state = new ObjectMapper().createObjectNode().put("step", step);
    p.commit(SPEC, values(SPEC.numParams(), 2 * step), 42, "hash", "a = 1\n", state);
  }

  private Path stepDir(long step) {
    return dir.resolve("checkpoints").resolve(String.format("step-%08d", step));
  }

  @Test
  void roundTripIsExact() throws Exception {
    write(new CheckpointWriter(runDir(), CONF, 2), 12);
    CheckpointReader.Loaded c = CheckpointReader.open(
        new org.apache.hadoop.fs.Path(stepDir(12).toString()), CONF);
    assertEquals(12, c.step());
    assertEquals(SPEC, c.model().spec());
    assertArrayEquals(values(SPEC.numParams(), 24), c.model().params());
    assertEquals(42, c.model().seed());
    assertEquals("a = 1\n", c.config());
    assertEquals(12, c.state().path("step").asLong());
    assertArrayEquals(values(SPEC.numParams(), 12), c.array("optimizer", "exp_avg"));
    PartitionSnapshot s = c.partition(0, 11, List.of("residual"));
    assertArrayEquals(values(SPEC.numParams(), -12), s.arrays().get("residual"));
    assertEquals(11, s.step());
  }

  @Test
  void keepsTheNewestCompleteOnesAndDeletesOlderOnlyAfterACommit() throws Exception {
    CheckpointWriter w = new CheckpointWriter(runDir(), CONF, 2);
    write(w, 10);
    write(w, 20);
    assertTrue(Files.isDirectory(stepDir(10)));
    CheckpointWriter.Pending pending = w.begin(30);
    pending.array("optimizer", "exp_avg", values(SPEC.numParams(), 30));
    // Not committed yet: nothing older may go.
    assertTrue(Files.isDirectory(stepDir(10)));
    assertTrue(Files.isDirectory(stepDir(20)));
    pending.commit(SPEC, values(SPEC.numParams(), 60), 42, "h", "", new ObjectMapper()
        .createObjectNode());
    assertFalse(Files.exists(stepDir(10)));
    assertTrue(Files.isDirectory(stepDir(20)));
    assertTrue(Files.isDirectory(stepDir(30)));
  }

  @Test
  void aCheckpointWithoutItsManifestIsNeverUsed() throws Exception {
    CheckpointWriter w = new CheckpointWriter(runDir(), CONF, 5);
    write(w, 10);
    CheckpointWriter.Pending p = w.begin(20); // a crash before the commit
    p.array("optimizer", "exp_avg", values(SPEC.numParams(), 20));
    List<String> warnings = new ArrayList<>();
    long step = CheckpointReader.newest(runDir(), CONF, CheckpointReader.Loaded::step,
        warnings::add);
    assertEquals(10, step);
    assertTrue(warnings.get(0).contains(stepDir(20).resolve("MANIFEST.json").toString())
        && warnings.get(0).contains("missing"), warnings.toString());
  }

  /** One way of damaging the newest checkpoint, and what the message must say. */
  private void damage(String how) throws Exception {
    Path newest = stepDir(20);
    Path array = newest.resolve("optimizer/exp_avg.f32");
    switch (how) {
      case "truncated" -> {
        byte[] b = Files.readAllBytes(array);
        Files.write(array, java.util.Arrays.copyOf(b, b.length - 5));
      }
      case "flipped byte" -> {
        byte[] b = Files.readAllBytes(array);
        b[b.length / 2] ^= 0x01;
        Files.write(array, b);
      }
      case "missing array" -> Files.delete(array);
      case "missing manifest" -> Files.delete(newest.resolve("MANIFEST.json"));
      case "unknown format version" -> {
        Path m = newest.resolve("MANIFEST.json");
        Files.writeString(m, Files.readString(m).replace("\"format_version\" : 1",
            "\"format_version\" : 7"));
      }
      case "java serialized object" -> {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
          out.writeObject(new HashMap<>(Map.of("step", 20)));
        }
        Files.write(newest.resolve("MANIFEST.json"), bytes.toByteArray());
      }
      default -> throw new AssertionError(how);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"truncated", "flipped byte", "missing array", "missing manifest",
      "unknown format version", "java serialized object"})
  void damageIsDetectedNamedAndThePreviousCheckpointIsUsed(String how) throws Exception {
    CheckpointWriter w = new CheckpointWriter(runDir(), CONF, 5);
    write(w, 10);
    write(w, 20);
    damage(how);
    List<String> warnings = new ArrayList<>();
    CheckpointReader.Loaded c = CheckpointReader.newest(runDir(), CONF, x -> x, warnings::add);
    assertEquals(10, c.step(), how);
    assertArrayEquals(values(SPEC.numParams(), 10), c.array("optimizer", "exp_avg"));
    String first = warnings.get(0);
    String expected = switch (how) {
      case "truncated" -> "exp_avg.f32: ";
      case "flipped byte" -> "exp_avg.f32: checksum mismatch";
      case "missing array" -> "exp_avg.f32 is missing";
      case "missing manifest" -> "MANIFEST.json is missing";
      case "unknown format version" -> "format_version 7 is not supported";
      default -> "MANIFEST.json: not JSON";
    };
    assertTrue(first.contains(expected), how + ": " + first);
    assertTrue(first.contains(stepDir(20).toString()), first);
    assertTrue(warnings.get(warnings.size() - 1).contains("step 10"), warnings.toString());
  }

  @Test
  void anArrayFileHoldingAJavaObjectIsAFormatErrorNotADeserialization() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new float[] {1, 2, 3});
    }
    IOException e = assertThrows(IOException.class, () -> org.sparkprop.driver.io.ArrayFile
        .decode(bytes.toByteArray(), "exp_avg", "x/exp_avg.f32"));
    assertTrue(e.getMessage().startsWith("x/exp_avg.f32: not a sparkprop array file"),
        e.getMessage());
    IOException m = assertThrows(IOException.class, () -> org.sparkprop.driver.io.ModelFile
        .decode(bytes.toByteArray(), "model.sprp"));
    assertTrue(m.getMessage().startsWith("model.sprp: not a sparkprop model file"),
        m.getMessage());
  }

  @Test
  void anArrayStoredUnderAnotherNameIsRefused() throws Exception {
    byte[] b = org.sparkprop.driver.io.ArrayFile.encode("exp_avg_sq", new float[] {1});
    IOException e = assertThrows(IOException.class,
        () -> org.sparkprop.driver.io.ArrayFile.decode(b, "exp_avg", "f"));
    assertTrue(e.getMessage().contains("holds the array 'exp_avg_sq', expected 'exp_avg'"));
  }

  @Test
  void noCheckpointAtAllSaysWhy() {
    IOException e = assertThrows(CheckpointReader.NoCheckpointException.class,
        () -> CheckpointReader.newest(runDir(), CONF, x -> x, w -> { }));
    assertTrue(e.getMessage().contains("was checkpointing off?"), e.getMessage());
  }

  @Test
  void writingLeavesNoHadoopChecksumSideFiles() throws Exception {
    write(new CheckpointWriter(runDir(), CONF, 2), 5);
    try (Stream<Path> files = Files.walk(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".crc")));
    }
    assertTrue(Files.readString(stepDir(5).resolve("MANIFEST.json"), StandardCharsets.UTF_8)
        .contains("\"crc32c\""));
  }
}
