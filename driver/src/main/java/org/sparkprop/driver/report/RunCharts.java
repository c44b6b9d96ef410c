package org.sparkprop.driver.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of one run or of several overlaid on the same axes (a run's series named by the
 * run when there are several): loss per step (each logged window's mean, and its exponential
 * moving average), the test metric per epoch, the learning rate, the bytes up and down per
 * step, and the step-time breakdown.
 */
public final class RunCharts {
  /** Pixels of every chart. */
  public static final int WIDTH = 800;
  public static final int HEIGHT = 500;
  /** Weight of the newest point in the smoothed loss. */
  static final double SMOOTHING = 0.2;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private RunCharts() {}

  /**
   * The charts by file name: loss.png, accuracy.png (or rmse.png), lr.png, bytes.png and
   * step_time.png.
   */
  public static Map<String, XYChart> of(List<RunMetrics> runs) {
    boolean several = runs.size() > 1;
    Map<String, XYChart> out = new LinkedHashMap<>();
    XYChart loss = chart("Training loss (mean per logged window)", "step", "loss");
    for (RunMetrics r : runs) {
      add(loss, label(r, "loss", several), r.loss(), false);
      add(loss, label(r, "smoothed", several), smoothed(r.loss()), false);
    }
    logIfPositive(loss);
    out.put("loss.png", loss);
    boolean rmse = runs.stream().allMatch(r -> r.metricName().equals("test_rmse"));
    XYChart metric = chart(rmse ? "Test RMSE per epoch" : "Test accuracy per epoch", "epoch",
        rmse ? "RMSE" : "accuracy");
    for (RunMetrics r : runs) {
      add(metric, label(r, rmse ? "test RMSE" : "test accuracy", several), r.testMetric(), true);
    }
    out.put(rmse ? "rmse.png" : "accuracy.png", metric);
    XYChart lr = chart("Learning rate", "step", "lr");
    for (RunMetrics r : runs) {
      add(lr, label(r, "lr", several), r.lr(), false);
    }
    out.put("lr.png", lr);
    XYChart bytes = chart("Bytes per step", "step", "bytes");
    for (RunMetrics r : runs) {
      add(bytes, label(r, "up (executors to driver)", several), r.bytesUp(), false);
      add(bytes, label(r, "down (driver to executors)", several), r.bytesDown(), false);
    }
    out.put("bytes.png", bytes);
    XYChart time = chart("Step time (mean per logged window)", "step", "ms per step");
    Map<String, Function<RunMetrics, RunMetrics.Series>> parts = new LinkedHashMap<>();
    parts.put("whole step", RunMetrics::stepMs);
    parts.put("Spark job", RunMetrics::jobMs);
    parts.put("slowest compute", RunMetrics::computeMs);
    parts.put("broadcast", RunMetrics::broadcastMs);
    parts.put("optimizer and rest", RunMetrics::optimizerMs);
    for (RunMetrics r : runs) {
      parts.forEach((name, series) -> add(time, label(r, name, several), series.apply(r),
          false));
    }
    out.put("step_time.png", time);
    return out;
  }

  /** The exponential moving average of a series' values. */
  static RunMetrics.Series smoothed(RunMetrics.Series s) {
    double[] y = new double[s.size()];
    double ema = Double.NaN;
    for (int i = 0; i < y.length; i++) {
      ema = i == 0 ? s.y()[0] : SMOOTHING * s.y()[i] + (1 - SMOOTHING) * ema;
      y[i] = ema;
    }
    return new RunMetrics.Series(s.x(), y);
  }

  private static String label(RunMetrics r, String series, boolean several) {
    return several ? r.name() + ": " + series : series;
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
        .yAxisTitle(y).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    c.getStyler().setPlotGridLinesVisible(true);
    return c;
  }

  private static void add(XYChart c, String name, RunMetrics.Series s, boolean markers) {
    if (s.isEmpty()) {
      return;
    }
    XYSeries series = c.addSeries(name, s.x(), s.y());
    series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    if (!markers && s.size() > 1) {
      series.setMarker(SeriesMarkers.NONE);
    }
  }

  /** A log axis when every value is positive and they span more than a decade. */
  private static void logIfPositive(XYChart c) {
    double min = c.getSeriesMap().values().stream().flatMapToDouble(s -> java.util.Arrays
        .stream(s.getYData())).min().orElse(0);
    double max = c.getSeriesMap().values().stream().flatMapToDouble(s -> java.util.Arrays
        .stream(s.getYData())).max().orElse(0);
    c.getStyler().setYAxisLogarithmic(min > 0 && max / min > 10);
  }
}
