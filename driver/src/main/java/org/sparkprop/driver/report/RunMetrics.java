package org.sparkprop.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.io.Storage;

/**
 * The series of one run, as its metrics.jsonl has them: per logged train record the step, the
 * mean loss since the last record, the learning rate, the bytes up and down per step and the
 * per-step milliseconds (broadcast, Spark job, slowest partition's compute, driver-side
 * optimizer and the rest, whole step); per evaluation the epoch, the test loss and the test
 * accuracy (classifiers) or RMSE (regressors). A record without a value (a diverged step's
 * loss, an older run without step times) leaves that series without the point.
 */
public record RunMetrics(String name, Series loss, Series lr, Series bytesUp, Series bytesDown,
    Series broadcastMs, Series jobMs, Series computeMs, Series optimizerMs, Series stepMs,
    Series testMetric, Series testLoss, String metricName) {

  /** Points (x, y) in record order. */
  public record Series(double[] x, double[] y) {
    public int size() {
      return x.length;
    }

    boolean isEmpty() {
      return x.length == 0;
    }
  }

  private static final class Builder {
    final List<double[]> points = new ArrayList<>();

    void add(double x, JsonNode v) {
      if (v != null && v.isNumber()) {
        points.add(new double[] {x, v.asDouble()});
      }
    }

    Series build() {
      double[] x = new double[points.size()];
      double[] y = new double[points.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = points.get(i)[0];
        y[i] = points.get(i)[1];
      }
      return new Series(x, y);
    }
  }

  /**
   * Reads {@code runDir}'s metrics.jsonl.
   *
   * @param name the run's name in legends
   * @throws IOException when the file cannot be read, naming it and the line that is not JSON
   */
  public static RunMetrics read(String name, Path runDir, Configuration conf) throws IOException {
    Path file = new Path(runDir, RunDirectory.METRICS);
    if (!Storage.exists(file, conf)) {
      throw new IOException(file + ": no such file (is " + runDir + " a run directory?)");
    }
    String text = new String(Storage.read(file, conf, Long.MAX_VALUE), StandardCharsets.UTF_8);
    return parse(name, text, file.toString());
  }

  /** Parses metrics.jsonl's text ({@code where} names it in errors). */
  static RunMetrics parse(String name, String text, String where) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Builder loss = new Builder();
    Builder lr = new Builder();
    Builder up = new Builder();
    Builder down = new Builder();
    Builder broadcast = new Builder();
    Builder job = new Builder();
    Builder compute = new Builder();
    Builder optimizer = new Builder();
    Builder step = new Builder();
    Builder metric = new Builder();
    Builder testLoss = new Builder();
    String metricName = "test_accuracy";
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode r;
      try {
        r = json.readTree(line);
      } catch (IOException e) {
        if (text.endsWith(line)) {
          break; // a last line cut short by a crash
        }
        throw new IOException(where + ":" + lineNo + ": not a JSON record", e);
      }
      String type = r.path("type").asText();
      if (type.equals("train")) {
        double x = r.path("step").asDouble();
        loss.add(x, r.get("loss"));
        lr.add(x, r.get("lr"));
        up.add(x, r.get("bytes_up"));
        down.add(x, r.get("bytes_down"));
        broadcast.add(x, r.get("broadcast_ms"));
        job.add(x, r.get("job_ms"));
        compute.add(x, r.get("compute_ms"));
        optimizer.add(x, r.get("optimizer_ms"));
        step.add(x, r.get("step_ms"));
      } else if (type.equals("eval")) {
        double x = r.path("epoch").asDouble();
        if (r.has("test_rmse")) {
          metricName = "test_rmse";
        }
        metric.add(x, r.get(metricName));
        testLoss.add(x, r.get("test_loss"));
      }
    }
    return new RunMetrics(name, loss.build(), lr.build(), up.build(), down.build(),
        broadcast.build(), job.build(), compute.build(), optimizer.build(), step.build(),
        metric.build(), testLoss.build(), metricName);
  }
}
