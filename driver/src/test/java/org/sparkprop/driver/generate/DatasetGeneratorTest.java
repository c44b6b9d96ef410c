package org.sparkprop.driver.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.data.CsvParser;
import org.sparkprop.driver.data.LibsvmParser;
import org.sparkprop.driver.data.ParsedRow;
import org.sparkprop.driver.generate.GenerateOptions.Format;
import org.sparkprop.driver.generate.GenerateOptions.Kind;

class DatasetGeneratorTest {
  @TempDir Path dir;

  private static GenerateOptions.Builder options() {
    return GenerateOptions.builder().rows(500).features(12).seed(5);
  }

  private static byte[] bytes(GenerateOptions opts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DatasetGenerator.writeTo(opts, out);
    return out.toByteArray();
  }

  private static List<String> lines(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    assertTrue(text.endsWith("\n"));
    return Arrays.asList(text.split("\n"));
  }

  /** Parses LIBSVM text into rows (copies). */
  private static List<ParsedRow> parseLibsvm(byte[] bytes, int features) {
    LibsvmParser parser = new LibsvmParser(true, features);
    List<ParsedRow> rows = new ArrayList<>();
    for (String line : lines(bytes)) {
      ParsedRow row = new ParsedRow();
      parser.parse(line, row);
      rows.add(row);
    }
    return rows;
  }

  @Test
  void sameSeedSameBytesDifferentSeedDifferentBytes() throws IOException {
    for (Kind kind : Kind.values()) {
      for (Format format : Format.values()) {
        GenerateOptions a = options().kind(kind).format(format).nnz(4).noise(0.1).build();
        byte[] first = bytes(a);
        assertArrayEquals(first, bytes(a), kind + " " + format);
        assertFalse(
            Arrays.equals(first, bytes(a.toBuilder().seed(6).build())), kind + " " + format);
      }
    }
  }

  @Test
  void fileEqualsStreamAndLeavesNoTemporaryFile() throws IOException {
    GenerateOptions opts = options().nnz(3).build();
    Path out = dir.resolve("a/b/train.libsvm");
    DatasetGenerator.Summary summary = DatasetGenerator.write(opts, out);
    assertArrayEquals(bytes(opts), Files.readAllBytes(out));
    assertEquals(Files.size(out), summary.bytes());
    assertEquals(500, summary.rows());
    assertNull(summary.testOut());
    assertFalse(Files.exists(dir.resolve("a/b/train.libsvm.tmp")));
    assertTrue(summary.describe().startsWith("wrote 500 rows ("), summary.describe());
    // Overwrites an existing file.
    DatasetGenerator.write(opts.toBuilder().rows(3).build(), out);
    assertEquals(3, Files.readAllLines(out).size());
  }

  @Test
  void localeDoesNotMatter() throws IOException {
    GenerateOptions opts = options().kind(Kind.LINEAR).format(Format.CSV).build();
    Locale saved = Locale.getDefault();
    byte[] german;
    byte[] us;
    try {
      Locale.setDefault(Locale.GERMANY);
      german = bytes(opts);
      Locale.setDefault(Locale.US);
      us = bytes(opts);
    } finally {
      Locale.setDefault(saved);
    }
    assertArrayEquals(us, german);
  }

  @Test
  void sparseRowsHaveExactlyMSortedDistinctColumns() throws IOException {
    int[][] shapes = {{1000, 7}, {12, 6}, {12, 9}, {12, 12}, {5, 1}};
    for (int[] shape : shapes) {
      int d = shape[0];
      int m = shape[1];
      GenerateOptions opts = options().features(d).nnz(m).rows(300).build();
      List<ParsedRow> rows = parseLibsvm(bytes(opts), d);
      assertEquals(300, rows.size());
      boolean[] seen = new boolean[d];
      for (ParsedRow row : rows) {
        assertEquals(m, row.nnz(), "d=" + d + " m=" + m);
        for (int k = 0; k < m; k++) {
          assertTrue(row.index(k) >= 0 && row.index(k) < d);
          assertTrue(k == 0 || row.index(k) > row.index(k - 1));
          seen[row.index(k)] = true;
        }
      }
      for (int j = 0; j < d && d <= 12; j++) {
        assertTrue(seen[j], "column " + j + " is used (d=" + d + " m=" + m + ")");
      }
    }
  }

  @Test
  void denseLibsvmRowsHaveAllFeatures() throws IOException {
    List<ParsedRow> rows = parseLibsvm(bytes(options().build()), 12);
    assertEquals(500, rows.size());
    for (ParsedRow row : rows) {
      assertEquals(12, row.nnz());
    }
  }

  @Test
  void csvParsesBackWithHeaderSkipped() throws IOException {
    GenerateOptions opts =
        options().kind(Kind.MULTICLASS).classes(4).format(Format.CSV).header(true).nnz(3).build();
    List<String> lines = lines(bytes(opts));
    assertEquals(501, lines.size());
    assertTrue(lines.get(0).startsWith("label,f1,f2,"));
    assertTrue(lines.get(0).endsWith(",f12"));
    CsvParser parser = new CsvParser(',', 0, 13);
    ParsedRow row = new ParsedRow();
    for (String line : lines.subList(1, lines.size())) {
      parser.parse(line, row);
      assertEquals(12, row.size());
      int nonZero = 0;
      for (int j = 0; j < 12; j++) {
        nonZero += row.dense(j) != 0f ? 1 : 0;
      }
      assertEquals(3, nonZero);
      assertTrue(row.label() >= 0 && row.label() < 4 && row.label() == Math.rint(row.label()));
    }
  }

  @Test
  void logisticLabelsAreBalancedAndLinearlySeparable() throws IOException {
    GenerateOptions opts = options().rows(2000).features(10).build();
    List<ParsedRow> rows = parseLibsvm(bytes(opts), 10);
    int ones = 0;
    for (ParsedRow row : rows) {
      assertTrue(row.label() == 0f || row.label() == 1f);
      ones += (int) row.label();
    }
    assertTrue(ones > 800 && ones < 1200, "ones: " + ones);
    assertTrue(perceptronAccuracy(rows, 10) > 0.97);
  }

  @Test
  void noiseFlipsAboutThatFractionOfLabelsAndNothingElse() throws IOException {
    GenerateOptions clean = options().rows(4000).features(10).build();
    GenerateOptions noisy = clean.toBuilder().noise(0.2).build();
    List<ParsedRow> a = parseLibsvm(bytes(clean), 10);
    List<ParsedRow> b = parseLibsvm(bytes(noisy), 10);
    int flipped = 0;
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(
          Arrays.copyOf(a.get(i).values(), 10), Arrays.copyOf(b.get(i).values(), 10));
      flipped += a.get(i).label() != b.get(i).label() ? 1 : 0;
    }
    assertTrue(flipped > 0.17 * 4000 && flipped < 0.23 * 4000, "flipped: " + flipped);
  }

  @Test
  void multiclassAndTeacherLabels() throws IOException {
    for (Kind kind : new Kind[] {Kind.MULTICLASS, Kind.TEACHER_MLP}) {
      GenerateOptions opts = options().kind(kind).classes(5).hidden(8).rows(3000).build();
      int[] counts = new int[5];
      for (ParsedRow row : parseLibsvm(bytes(opts), 12)) {
        int y = (int) row.label();
        assertEquals(y, row.label());
        counts[y]++;
      }
      for (int c : counts) {
        assertTrue(c > 100, kind + " " + Arrays.toString(counts));
      }
      GenerateOptions noisy = opts.toBuilder().noise(0.3).build();
      List<ParsedRow> a = parseLibsvm(bytes(opts), 12);
      List<ParsedRow> b = parseLibsvm(bytes(noisy), 12);
      int changed = 0;
      for (int i = 0; i < a.size(); i++) {
        changed += a.get(i).label() != b.get(i).label() ? 1 : 0;
      }
      assertTrue(changed > 0.26 * 3000 && changed < 0.34 * 3000, kind + " changed " + changed);
    }
  }

  @Test
  void multiclassIsLinearlySeparableOneVsRest() throws IOException {
    // argmax(W x) classes are separated by hyperplanes: a multiclass perceptron fits them.
    GenerateOptions opts =
        options().kind(Kind.MULTICLASS).classes(3).rows(2000).features(6).build();
    List<ParsedRow> rows = parseLibsvm(bytes(opts), 6);
    double[][] w = new double[3][6];
    int errors = 0;
    for (int epoch = 0; epoch < 50; epoch++) {
      errors = 0;
      for (ParsedRow row : rows) {
        int best = 0;
        double[] s = new double[3];
        for (int c = 0; c < 3; c++) {
          for (int k = 0; k < row.nnz(); k++) {
            s[c] += w[c][row.index(k)] * row.value(k);
          }
          if (s[c] > s[best]) {
            best = c;
          }
        }
        int y = (int) row.label();
        if (best != y) {
          errors++;
          for (int k = 0; k < row.nnz(); k++) {
            w[y][row.index(k)] += row.value(k);
            w[best][row.index(k)] -= row.value(k);
          }
        }
      }
    }
    assertTrue(errors < 0.03 * rows.size(), "errors in the last epoch: " + errors);
  }

  @Test
  void linearTargetsFitExactlyWithoutNoise() throws IOException {
    int d = 4;
    GenerateOptions opts = options().kind(Kind.LINEAR).features(d).rows(300).build();
    List<ParsedRow> rows = parseLibsvm(bytes(opts), d);
    // Least squares through the normal equations.
    double[][] a = new double[d][d + 1];
    for (ParsedRow row : rows) {
      for (int i = 0; i < row.nnz(); i++) {
        for (int j = 0; j < row.nnz(); j++) {
          a[row.index(i)][row.index(j)] += row.value(i) * row.value(j);
        }
        a[row.index(i)][d] += row.value(i) * row.label();
      }
    }
    double[] w = solve(a);
    double sse = 0;
    double sst = 0;
    for (ParsedRow row : rows) {
      double p = 0;
      for (int k = 0; k < row.nnz(); k++) {
        p += w[row.index(k)] * row.value(k);
      }
      sse += (p - row.label()) * (p - row.label());
      sst += row.label() * row.label();
    }
    assertTrue(sse / sst < 1e-9, "relative residual " + sse / sst);

    GenerateOptions noisy = opts.toBuilder().noise(0.5).build();
    List<ParsedRow> b = parseLibsvm(bytes(noisy), d);
    double diff = 0;
    for (int i = 0; i < rows.size(); i++) {
      double e = b.get(i).label() - rows.get(i).label();
      diff += e * e;
    }
    double std = Math.sqrt(diff / rows.size());
    assertTrue(std > 0.42 && std < 0.58, "noise std " + std);
  }

  @Test
  void writesTheTestFileNextToTheTrainingFile() throws IOException {
    GenerateOptions opts = options().testRows(50).build();
    Path out = dir.resolve("train.libsvm");
    DatasetGenerator.Summary summary = DatasetGenerator.write(opts, out);
    Path test = dir.resolve("train.test.libsvm");
    assertEquals(test, summary.testOut());
    assertEquals(500, Files.readAllLines(out).size());
    List<String> testLines = Files.readAllLines(test);
    assertEquals(50, testLines.size());
    assertFalse(Files.readAllLines(out).subList(0, 50).equals(testLines));
    assertEquals(Files.size(test), summary.testBytes());
    // The training file does not depend on whether a test file is written.
    assertArrayEquals(bytes(opts), Files.readAllBytes(out));
  }

  @Test
  void testPathNaming() {
    assertEquals(
        Path.of("d/train.test.libsvm"), DatasetGenerator.testPath(Path.of("d/train.libsvm")));
    assertEquals(Path.of("d/train.test"), DatasetGenerator.testPath(Path.of("d/train")));
    assertEquals(Path.of("a.b/x.test.csv"), DatasetGenerator.testPath(Path.of("a.b/x.csv")));
    assertEquals(Path.of(".data.test"), DatasetGenerator.testPath(Path.of(".data")));
  }

  @Test
  void optionsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> options().rows(0).build());
    assertThrows(IllegalArgumentException.class, () -> options().nnz(13).build());
    assertThrows(IllegalArgumentException.class, () -> options().noise(1.5).build());
    assertThrows(IllegalArgumentException.class, () -> options().classes(3).build());
    assertThrows(IllegalArgumentException.class, () -> options().header(true).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> options().kind(Kind.TEACHER_MLP).features(1 << 24).hidden(64).build());
    assertEquals(10, options().kind(Kind.MULTICLASS).build().classes());
    assertEquals(2, options().build().classes());
    assertEquals(0, options().kind(Kind.LINEAR).build().classes());
    assertEquals(
        options().kind(Kind.MULTICLASS).classes(4).build(),
        options().kind(Kind.MULTICLASS).classes(4).build().toBuilder().build());
  }

  private static double perceptronAccuracy(List<ParsedRow> rows, int d) {
    double[] w = new double[d];
    for (int epoch = 0; epoch < 50; epoch++) {
      for (ParsedRow row : rows) {
        double s = 0;
        for (int k = 0; k < row.nnz(); k++) {
          s += w[row.index(k)] * row.value(k);
        }
        int y = row.label() == 1f ? 1 : -1;
        if (s * y <= 0) {
          for (int k = 0; k < row.nnz(); k++) {
            w[row.index(k)] += y * row.value(k);
          }
        }
      }
    }
    int correct = 0;
    for (ParsedRow row : rows) {
      double s = 0;
      for (int k = 0; k < row.nnz(); k++) {
        s += w[row.index(k)] * row.value(k);
      }
      correct += (s > 0) == (row.label() == 1f) ? 1 : 0;
    }
    return correct / (double) rows.size();
  }

  /** Gauss-Jordan elimination with partial pivoting on an augmented n x (n+1) matrix. */
  private static double[] solve(double[][] a) {
    int n = a.length;
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = a[c];
      a[c] = a[pivot];
      a[pivot] = t;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }
}
