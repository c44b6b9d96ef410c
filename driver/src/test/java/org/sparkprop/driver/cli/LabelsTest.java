package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.data.LabelMap;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.RunDirectory;

/** Labels as public data sets write them: -1/+1 and 1..K map to classes and back. */
class LabelsTest extends SparkTestBase {
  @TempDir Path dir;

  record Outcome(int code, String err, Path runDir) {}

  Outcome train(String hocon, String... sets) {
    Path runDir = dir.resolve("run-" + System.nanoTime());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), TestFiles.config(hocon, sets), runDir.toString(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, err.toString(StandardCharsets.UTF_8), runDir);
  }

  /** A LIBSVM file whose 0/1 labels are rewritten as {@code zero}/{@code one}. */
  private Path relabelled(String name, String zero, String one) throws Exception {
    Path src = TestFiles.generate(dir.resolve(name + ".src"), "--kind", "logistic", "--format",
        "libsvm", "--rows", "2000", "--features", "50", "--nnz", "8", "--seed", "4");
    StringBuilder b = new StringBuilder();
    for (String line : Files.readAllLines(src)) {
      b.append(line.startsWith("1 ") ? one + line.substring(1) : zero + line.substring(1))
          .append('\n');
    }
    return Files.writeString(dir.resolve(name + ".libsvm"), b.toString());
  }

  private static String logistic(Path data) {
    return "data { format = libsvm, train = \"" + data + "\", test_fraction = 0.2,"
        + " partitions = 2 }\nmodel.type = logistic_regression\n"
        + "train { epochs = 3, batch_size = 64 }\noptimizer { name = adam, lr = 0.05 }\n";
  }

  @Test
  void signedLabelsAreDetectedAndKeptInTheModel() throws Exception {
    Outcome o = train(logistic(relabelled("pm1", "-1", "+1")));
    assertEquals(0, o.code(), o.err());
    ModelFile.Contents m = ModelFile.decode(Files.readAllBytes(o.runDir().resolve(
        RunDirectory.MODEL)), "m");
    assertEquals(LabelMap.signed(), m.labels());
    double accuracy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        o.runDir().resolve(RunDirectory.SUMMARY).toFile()).path("test_accuracy").asDouble();
    assertTrue(accuracy > 0.8, "learned through the mapping: " + accuracy);
  }

  @Test
  void theSameRunWith0And1AndWithMinus1AndPlus1GivesTheSameParameters() throws Exception {
    // No held-out split: it keys on byte offsets, which the longer "-1" lines shift.
    Outcome signed = train(logistic(relabelled("a", "-1", "1")), "data.test_fraction=0");
    Outcome plain = train(logistic(relabelled("b", "0", "1")), "data.test_fraction=0");
    assertEquals(0, signed.code(), signed.err());
    float[] p1 = ModelFile.decode(Files.readAllBytes(signed.runDir().resolve(RunDirectory.MODEL)),
        "m").params();
    float[] p2 = ModelFile.decode(Files.readAllBytes(plain.runDir().resolve(RunDirectory.MODEL)),
        "m").params();
    org.junit.jupiter.api.Assertions.assertArrayEquals(p1, p2);
  }

  @Test
  void oneBasedMulticlassLabelsAreDetected() throws Exception {
    Path src = TestFiles.generate(dir.resolve("multi.src"), "--kind", "multiclass", "--format",
        "csv", "--rows", "2000", "--features", "6", "--classes", "3", "--seed", "5");
    StringBuilder b = new StringBuilder();
    for (String line : Files.readAllLines(src)) {
      int comma = line.indexOf(',');
      b.append(Integer.parseInt(line.substring(0, comma)) + 1).append(line.substring(comma))
          .append('\n');
    }
    Path data = Files.writeString(dir.resolve("multi.csv"), b.toString());
    Outcome o = train("data { format = csv, train = \"" + data + "\", partitions = 2 }\n"
        + "model { type = softmax_regression, outputs = 3 }\ntrain.epochs = 1\n");
    assertEquals(0, o.code(), o.err());
    assertEquals(LabelMap.oneBased(3), ModelFile.decode(Files.readAllBytes(o.runDir().resolve(
        RunDirectory.MODEL)), "m").labels());
  }

  @Test
  void labelsThatDoNotSayAreRefusedNamingTheSetting() throws Exception {
    // 1 and 2 for a 3-class model: classes 0..2 with class 0 unused, or 1..3 with 3 unused?
    Path data = Files.writeString(dir.resolve("amb.csv"), "1,0.5\n2,0.25\n1,0.1\n2,3\n");
    Outcome o = train("data { format = csv, train = \"" + data + "\", partitions = 2 }\n"
        + "model { type = softmax_regression, outputs = 3 }\n");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("the labels {1, 2} fit classes 0..2 with class 0 never seen"),
        o.err());
    Outcome fixed = train("data { format = csv, train = \"" + data + "\", partitions = 2,"
        + " labels = one_based }\nmodel { type = softmax_regression, outputs = 3 }\n");
    assertEquals(0, fixed.code(), fixed.err());
    Outcome listed = train("data { format = csv, train = \"" + data + "\", partitions = 2,"
        + " labels = [2, 1, 7] }\nmodel { type = softmax_regression, outputs = 3 }\n");
    assertEquals(0, listed.code(), listed.err());
    assertEquals(LabelMap.of(new double[] {2, 1, 7}), ModelFile.decode(Files.readAllBytes(
        listed.runDir().resolve(RunDirectory.MODEL)), "m").labels());
  }

  @Test
  void aLabelOutsideAnExplicitSettingNamesItsLine() throws Exception {
    Path data = Files.writeString(dir.resolve("bad.libsvm"), "-1 1:1\n1 2:1\n0 1:1\n1 1:2\n");
    Outcome o = train("data { format = libsvm, train = \"" + data + "\", partitions = 2,"
        + " labels = signed }\nmodel.type = logistic_regression\n");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("bad.libsvm:3: label 0 is not one of the model's labels [-1, 1]"),
        o.err());
  }
}
