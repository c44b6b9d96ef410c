package org.sparkprop.driver.playground;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The playground's pictures, with JFreeChart (XChart, which draws the runs' charts, has no
 * filled-contour plot to draw paths over): per function, the optimizers' paths over the
 * function's filled contours (bands of equal log-distance to the minimum), and their values
 * per step.
 */
public final class PlaygroundCharts {
  public static final int WIDTH = 900;
  public static final int HEIGHT = 700;
  /** Grid cells per axis of the contour background. */
  static final int GRID = 160;
  /** Contour bands. */
  static final int BANDS = 14;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private PlaygroundCharts() {}

  /** The paths of {@code runs} (all on one function) over its contours, as PNG bytes. */
  public static byte[] contour(TestFunction f, List<Playground.Run> runs) throws IOException {
    NumberAxis x = new NumberAxis("x");
    x.setRange(f.minX, f.maxX);
    NumberAxis y = new NumberAxis("y");
    y.setRange(f.minY, f.maxY);
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);
    XYSeriesCollection paths = new XYSeriesCollection();
    for (Playground.Run r : runs) {
      XYSeries s = new XYSeries(r.optimizer().label(), false, true);
      for (int i = 0; i < r.x().length; i++) {
        s.add(r.x()[i], r.y()[i]);
      }
      paths.addSeries(s);
    }
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < runs.size(); i++) {
      lines.setSeriesStroke(i, new BasicStroke(1.6f));
      lines.setSeriesPaint(i, color(i, runs.size()));
    }
    plot.setDataset(0, paths);
    plot.setRenderer(0, lines);
    plot.setDataset(1, surface(f));
    XYBlockRenderer blocks = new XYBlockRenderer();
    blocks.setBlockWidth((f.maxX - f.minX) / GRID);
    blocks.setBlockHeight((f.maxY - f.minY) / GRID);
    blocks.setPaintScale(bands(f));
    plot.setRenderer(1, blocks);
    blocks.setSeriesVisibleInLegend(0, false);
    plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.REVERSE);
    JFreeChart chart = new JFreeChart(f.displayName() + ": paths from (" + f.startX + ", "
        + f.startY + ")" + (Double.isNaN(f.minimum) ? "" : ", minimum " + minimumText(f)),
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return png(chart);
  }

  /** Each run's value per step (log scale of the distance to the minimum where there is one). */
  public static byte[] values(TestFunction f, List<Playground.Run> runs) throws IOException {
    boolean log = !Double.isNaN(f.minimum);
    XYSeriesCollection data = new XYSeriesCollection();
    for (Playground.Run r : runs) {
      XYSeries s = new XYSeries(r.optimizer().label(), false, true);
      for (int i = 0; i < r.value().length; i++) {
        double v = log ? Math.max(r.value()[i] - f.minimum, 1e-12) : r.value()[i];
        if (Double.isFinite(v)) {
          s.add(i, v);
        }
      }
      data.addSeries(s);
    }
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < runs.size(); i++) {
      lines.setSeriesPaint(i, color(i, runs.size()));
      lines.setSeriesStroke(i, new BasicStroke(1.4f));
    }
    NumberAxis step = new NumberAxis("step");
    org.jfree.chart.axis.ValueAxis value;
    if (log) {
      LogAxis a = new LogAxis("f - minimum");
      a.setRange(1e-8, 1e4);
      value = a;
    } else {
      NumberAxis a = new NumberAxis("f");
      a.setRange(-5, 1.5);
      value = a;
    }
    XYPlot plot = new XYPlot(data, step, value, lines);
    JFreeChart chart = new JFreeChart(f.displayName() + ": value per step",
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return png(chart);
  }

  private static DefaultXYZDataset surface(TestFunction f) {
    double[][] xyz = new double[3][GRID * GRID];
    double dx = (f.maxX - f.minX) / GRID;
    double dy = (f.maxY - f.minY) / GRID;
    for (int i = 0; i < GRID; i++) {
      for (int j = 0; j < GRID; j++) {
        int k = i * GRID + j;
        double x = f.minX + (i + 0.5) * dx;
        double y = f.minY + (j + 0.5) * dy;
        xyz[0][k] = x;
        xyz[1][k] = y;
        xyz[2][k] = level(f, f.value(x, y));
      }
    }
    DefaultXYZDataset d = new DefaultXYZDataset();
    d.addSeries("surface", xyz);
    return d;
  }

  /** The contour level of a value: log10 of the distance to the minimum, or the value itself. */
  static double level(TestFunction f, double v) {
    return Double.isNaN(f.minimum) ? v : Math.log10(Math.max(v - f.minimum, 1e-6));
  }

  private static LookupPaintScale bands(TestFunction f) {
    double lo = Double.isNaN(f.minimum) ? -2.25 : -3;
    double hi = Double.isNaN(f.minimum) ? 2.25 : 4;
    LookupPaintScale scale = new LookupPaintScale(-1e9, 1e9, new Color(250, 250, 250));
    scale.add(-1e9, shade(0));
    for (int b = 0; b < BANDS; b++) {
      scale.add(lo + b * (hi - lo) / BANDS, shade((b + 1.0) / BANDS));
    }
    return scale;
  }

  /**
   * Band colours from light yellow (near the minimum) through green to blue (far), adjacent
   * bands a little lighter and darker so that their edges read as contour lines; light enough
   * for the paths to stay visible.
   */
  private static Color shade(double t) {
    int[][] stops = {{255, 255, 217}, {199, 233, 180}, {127, 205, 187}, {65, 182, 196},
      {44, 127, 184}};
    double pos = Math.min(t, 1) * (stops.length - 1);
    int i = Math.min((int) pos, stops.length - 2);
    double u = pos - i;
    double bump = ((int) Math.round(t * BANDS)) % 2 == 0 ? 1.0 : 0.92;
    int[] c = new int[3];
    for (int k = 0; k < 3; k++) {
      c[k] = (int) Math.min(255, bump * (stops[i][k] + u * (stops[i + 1][k] - stops[i][k])));
    }
    return new Color(c[0], c[1], c[2]);
  }

  private static Color color(int i, int n) {
    return Color.getHSBColor((float) i / n, 0.9f, i % 2 == 0 ? 0.75f : 0.55f);
  }

  private static String minimumText(TestFunction f) {
    return f == TestFunction.ROSENBROCK ? "at (1, 1)" : f == TestFunction.BEALE ? "at (3, 0.5)"
        : "at (0, 0)";
  }

  private static byte[] png(JFreeChart chart) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    return out.toByteArray();
  }
}
