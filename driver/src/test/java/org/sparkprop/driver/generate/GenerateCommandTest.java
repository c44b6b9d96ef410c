package org.sparkprop.driver.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.generate.GenerateOptions.Format;
import org.sparkprop.driver.generate.GenerateOptions.Kind;

class GenerateCommandTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int run(String... args) {
    return GenerateCommand.run(
        args,
        new PrintStream(outBytes, true, StandardCharsets.UTF_8),
        new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpDocumentsEveryOption() {
    assertEquals(0, run("--help"));
    String help = out();
    for (String option :
        new String[] {"--kind", "--format", "--rows", "--features", "--classes", "--nnz",
          "--noise", "--seed", "--hidden", "--out", "--test-rows", "--header", "--help",
          "linear", "logistic", "multiclass", "teacher-mlp", "libsvm", "csv",
          "train.test.libsvm"}) {
      assertTrue(help.contains(option), option);
    }
    assertEquals("", err());
    assertEquals(0, run("--rows", "5", "-h"));
  }

  @Test
  void writesTheDatasetAndASummary() throws IOException {
    Path out = dir.resolve("sub/train.libsvm");
    int code =
        run("--kind", "multiclass", "--classes=3", "--rows", "200", "--features", "1_000",
            "--nnz", "20", "--noise", "0.05", "--seed", "9", "--test-rows", "30", "--out",
            out.toString());
    assertEquals(0, code, err());
    assertTrue(out().startsWith("wrote 200 rows ("), out());
    assertTrue(out().contains("and 30 rows"), out());
    assertEquals(200, Files.readAllLines(out).size());
    assertEquals(30, Files.readAllLines(dir.resolve("sub/train.test.libsvm")).size());

    GenerateOptions same =
        GenerateOptions.builder()
            .kind(Kind.MULTICLASS)
            .classes(3)
            .rows(200)
            .features(1000)
            .nnz(20)
            .noise(0.05)
            .seed(9)
            .build();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DatasetGenerator.writeTo(same, expected);
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(out));
  }

  @Test
  void csvWithHeader() throws IOException {
    Path out = dir.resolve("x.csv");
    assertEquals(
        0,
        run("--format", "csv", "--header", "--kind", "linear", "--rows", "10", "--features", "3",
            "--out", out.toString()),
        err());
    List<String> lines = Files.readAllLines(out);
    assertEquals("label,f1,f2,f3", lines.get(0));
    assertEquals(11, lines.size());
    assertEquals(Format.CSV, Format.parse("CSV"));
    assertEquals(Kind.TEACHER_MLP, Kind.parse("teacher_mlp"));
  }

  private void assertUsageError(String expectedMessagePart, String... args) {
    outBytes.reset();
    errBytes.reset();
    assertEquals(2, run(args), String.join(" ", args));
    assertTrue(err().contains(expectedMessagePart), err());
    assertTrue(err().contains("--help"), err());
  }

  @Test
  void badArgumentsExitWith2AndSayWhy() {
    String out = dir.resolve("bad.libsvm").toString();
    assertUsageError("Missing required option: '--out=PATH'", "--rows", "10");
    assertUsageError("Unknown options: '--bogus'", "--bogus", "1", "--out", out);
    assertUsageError("Missing required parameter for option '--rows'", "--out", out, "--rows");
    assertUsageError("--rows': needs a whole number, got 'ten'", "--rows", "ten", "--out", out);
    assertUsageError("unknown kind 'svm'", "--kind", "svm", "--out", out);
    assertUsageError("unknown format 'json'", "--format", "json", "--out", out);
    assertUsageError("--nnz must be in", "--features", "5", "--nnz", "6", "--out", out);
    assertUsageError("--nnz must be at least 1", "--nnz", "0", "--out", out);
    assertUsageError("--noise", "--noise", "1.5", "--out", out);
    assertUsageError("--noise': needs a number such as 0.1, got 'NaN'", "--noise", "NaN", "--out",
        out);
    assertUsageError("--header applies to --format csv only", "--header", "--out", out);
    assertUsageError(
        "--classes does not apply", "--kind", "linear", "--classes", "3", "--out", out);
    assertUsageError("Unmatched argument at index 1: 'extra'", "extra", "--out", out);
    assertUsageError("must be a local file path", "--out", "hdfs://nn/data/x.libsvm");
    assertUsageError("Did you mean --rows?", "--rowz", "3", "--out", out);
    assertTrue(Files.notExists(dir.resolve("bad.libsvm")));
  }

  @Test
  void writeFailureExitsWith1() throws IOException {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "not a directory");
    assertEquals(1, run("--rows", "3", "--out", blocker.resolve("x.libsvm").toString()));
    assertTrue(err().contains("cannot write"), err());
  }
}
