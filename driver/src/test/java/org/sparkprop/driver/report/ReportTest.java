package org.sparkprop.driver.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.sparkprop.driver.Main;
import org.sparkprop.driver.SparkTestBase;
import org.sparkprop.driver.TestFiles;
import org.sparkprop.driver.cli.TrainCommand;

/**
 * A run leaves its charts and report.html: every PNG decodes at the charts' size, the plotted
 * series are metrics.jsonl's values, and {@code sparkprop report} overlays two runs.
 */
class ReportTest extends SparkTestBase {
  static final String[] CHARTS = {"loss.png", "accuracy.png", "lr.png", "bytes.png",
    "step_time.png"};

  @TempDir Path dir;

  private Path train(String name, String... sets) {
    Path data = dir.resolve("multi.csv");
    if (!Files.exists(data)) {
      TestFiles.generate(data, "--kind", "multiclass", "--format", "csv", "--rows", "3000",
          "--features", "10", "--classes", "3", "--seed", "5");
    }
    Path runDir = dir.resolve(name);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainCommand.train(jsc(), TestFiles.config("data { format = csv, train = \""
        + data + "\", test_fraction = 0.2, partitions = 2 }\n"
        + "model { type = softmax_regression, outputs = 3 }\n"
        + "train { epochs = 3, batch_size = 50, log_every = 5 }\n"
        + "optimizer { name = adam, lr = 0.05 }\nlr_schedule { type = cosine }", sets),
        runDir.toString(), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return runDir;
  }

  /** The values of {@code key} in metrics.jsonl's records of {@code type}, in order. */
  private static double[] column(Path runDir, String type, String key) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Double> out = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
      JsonNode r = json.readTree(line);
      if (r.path("type").asText().equals(type) && r.has(key)) {
        out.add(r.get(key).asDouble());
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void aRunLeavesItsChartsWithTheMetricsSeries() throws Exception {
    Path run = train("run");
    for (String chart : CHARTS) {
      BufferedImage image = ImageIO.read(run.resolve(chart).toFile());
      assertNotNull(image, chart + " decodes as PNG");
      assertEquals(RunCharts.WIDTH, image.getWidth(), chart);
      assertEquals(RunCharts.HEIGHT, image.getHeight(), chart);
    }
    String page = Files.readString(run.resolve(Report.PAGE));
    assertTrue(page.contains("<td>test_accuracy</td>") && page.contains("data:image/png;base64,")
        && page.contains("softmax_regression"), "summary, plots and config in the page");

    RunMetrics m = RunMetrics.read("run", new org.apache.hadoop.fs.Path(run.toString()),
        new Configuration());
    Map<String, XYChart> charts = RunCharts.of(List.of(m));
    double[] steps = column(run, "train", "step");
    assertEquals(3000 * 0.8 * 3 / 50 / 5, steps.length, 1, "a point per logged window");
    assertArrayEquals(steps, charts.get("loss.png").getSeriesMap().get("loss").getXData());
    assertArrayEquals(column(run, "train", "loss"),
        charts.get("loss.png").getSeriesMap().get("loss").getYData());
    assertArrayEquals(column(run, "train", "lr"),
        charts.get("lr.png").getSeriesMap().get("lr").getYData());
    assertArrayEquals(column(run, "train", "bytes_up"),
        charts.get("bytes.png").getSeriesMap().get("up (executors to driver)").getYData());
    assertArrayEquals(column(run, "train", "job_ms"),
        charts.get("step_time.png").getSeriesMap().get("Spark job").getYData());
    assertArrayEquals(column(run, "eval", "epoch"),
        charts.get("accuracy.png").getSeriesMap().get("test accuracy").getXData());
    assertArrayEquals(column(run, "eval", "test_accuracy"),
        charts.get("accuracy.png").getSeriesMap().get("test accuracy").getYData());
    double[] lr = column(run, "train", "lr");
    assertTrue(lr[lr.length - 1] < 0.1 * lr[0], "the cosine schedule shows in lr.png's data");
    double[] evalSeconds = column(run, "eval", "train_s");
    assertEquals(column(run, "eval", "epoch").length, evalSeconds.length, "every eval has train_s");
    for (int i = 1; i < evalSeconds.length; i++) {
      assertTrue(evalSeconds[i] > evalSeconds[i - 1], "training seconds grow between evals");
    }
    double trainSeconds = new ObjectMapper().readTree(run.resolve("summary.json").toFile())
        .get("train_seconds").asDouble();
    assertEquals(trainSeconds, evalSeconds[evalSeconds.length - 1], 0.0006,
        "the last evaluation comes after all of the run's training seconds");
  }

  @Test
  void reportOverlaysRuns() throws Exception {
    Path a = train("lr-0.05");
    Path b = train("lr-0.01", "optimizer.lr=0.01");
    Path out = dir.resolve("both");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"report", a.toString(), b.toString(), "--out",
        out.toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, code);
    assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("6 files in"), stdout.toString());
    Map<String, XYChart> charts = RunCharts.of(List.of(
        RunMetrics.read("lr-0.05", new org.apache.hadoop.fs.Path(a.toString()),
            new Configuration()),
        RunMetrics.read("lr-0.01", new org.apache.hadoop.fs.Path(b.toString()),
            new Configuration())));
    assertTrue(charts.get("loss.png").getSeriesMap().keySet().containsAll(List.of(
        "lr-0.05: loss", "lr-0.01: loss", "lr-0.05: smoothed", "lr-0.01: smoothed")));
    for (String chart : CHARTS) {
      assertNotNull(ImageIO.read(out.resolve(chart).toFile()), chart);
    }
    String page = Files.readString(out.resolve(Report.PAGE));
    assertTrue(page.contains("<th>lr-0.05</th><th>lr-0.01</th>"), "a column per run");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int bad = Main.run(new String[] {"report", dir.resolve("nothing").toString()},
        System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, bad);
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("sparkprop report: ")
        && err.toString(StandardCharsets.UTF_8).contains("is " + dir.resolve("nothing")
        + " a run directory?"), err.toString(StandardCharsets.UTF_8));
  }
}
