package org.sparkprop.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.sparkprop.driver.io.AtomicFiles;
import org.sparkprop.driver.io.RunDirectory;
import org.sparkprop.driver.io.Storage;

/**
 * Writes the PNG charts of one or several runs ({@link RunCharts}) and {@code report.html}: the
 * charts (embedded, so the page opens from anywhere with no server), the runs' summaries side by
 * side and each run's resolved config. Every file is written whole or not at all.
 */
public final class Report {
  /** The page's file name. */
  public static final String PAGE = "report.html";

  private Report() {}

  /** One run to report: its directory and the name it gets in legends and tables. */
  public record Run(String name, Path dir) {}

  /**
   * Writes the charts and the page of {@code runs} into {@code out}.
   *
   * @return the files written
   * @throws IOException naming the run directory or file that could not be read or written
   */
  public static List<Path> write(List<Run> runs, Path out, Configuration conf)
      throws IOException {
    List<RunMetrics> metrics = new ArrayList<>();
    for (Run r : runs) {
      metrics.add(RunMetrics.read(r.name(), r.dir(), conf));
    }
    List<Path> written = new ArrayList<>();
    Map<String, byte[]> pngs = new LinkedHashMap<>();
    for (Map.Entry<String, XYChart> e : RunCharts.of(metrics).entrySet()) {
      if (e.getValue().getSeriesMap().isEmpty()) {
        continue; // e.g. no test set: no accuracy chart
      }
      byte[] png = BitmapEncoder.getBitmapBytes(e.getValue(), BitmapEncoder.BitmapFormat.PNG);
      Path p = new Path(out, e.getKey());
      AtomicFiles.write(p, conf, png);
      pngs.put(e.getKey(), png);
      written.add(p);
    }
    Path page = new Path(out, PAGE);
    AtomicFiles.write(page, conf, html(runs, pngs, conf).getBytes(StandardCharsets.UTF_8));
    written.add(page);
    return written;
  }

  static String html(List<Run> runs, Map<String, byte[]> pngs, Configuration conf)
      throws IOException {
    StringBuilder h = new StringBuilder();
    String title = runs.size() == 1 ? "sparkprop run " + runs.get(0).name()
        : "sparkprop runs " + String.join(", ", runs.stream().map(Run::name).toList());
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em;"
            + "max-width:1700px}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            + "padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}"
            + "img{width:800px;margin:4px}pre{background:#f6f6f6;padding:1em;overflow:auto}"
            + "</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
    h.append("<h2>Summary</h2>\n").append(summaryTable(runs, conf));
    h.append("<h2>Plots</h2>\n<div>\n");
    for (Map.Entry<String, byte[]> e : pngs.entrySet()) {
      h.append("<img alt=\"").append(escape(e.getKey())).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(e.getValue())).append("\">\n");
    }
    h.append("</div>\n");
    for (Run r : runs) {
      Path config = new Path(r.dir(), RunDirectory.CONFIG);
      if (Storage.exists(config, conf)) {
        h.append("<h2>Config of ").append(escape(r.name())).append("</h2>\n<pre>")
            .append(escape(new String(Storage.read(config, conf, 1 << 20),
                StandardCharsets.UTF_8))).append("</pre>\n");
      }
    }
    return h.append("</body></html>\n").toString();
  }

  /** summary.json's fields, a row each, a column per run (missing: empty cells). */
  private static String summaryTable(List<Run> runs, Configuration conf) throws IOException {
    List<Map<String, String>> columns = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    ObjectMapper json = new ObjectMapper();
    for (Run r : runs) {
      Map<String, String> values = new LinkedHashMap<>();
      Path summary = new Path(r.dir(), RunDirectory.SUMMARY);
      if (Storage.exists(summary, conf)) {
        JsonNode node = json.readTree(Storage.read(summary, conf, 1 << 20));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          values.put(f.getKey(), format(f.getValue()));
        }
      }
      keys.addAll(values.keySet());
      columns.add(values);
    }
    StringBuilder t = new StringBuilder("<table>\n<tr><th></th>");
    for (Run r : runs) {
      t.append("<th>").append(escape(r.name())).append("</th>");
    }
    t.append("</tr>\n");
    for (String k : keys) {
      t.append("<tr><td>").append(escape(k)).append("</td>");
      for (Map<String, String> c : columns) {
        t.append("<td>").append(escape(c.getOrDefault(k, ""))).append("</td>");
      }
      t.append("</tr>\n");
    }
    return t.append("</table>\n").toString();
  }

  private static String format(JsonNode v) {
    if (v.isFloatingPointNumber()) {
      double d = v.asDouble();
      return Math.abs(d) >= 1e5 || (d != 0 && Math.abs(d) < 1e-3)
          ? String.format(java.util.Locale.ROOT, "%.4g", d)
          : String.format(java.util.Locale.ROOT, "%.4f", d).replaceAll("0+$", "")
              .replaceAll("\\.$", "");
    }
    return v.isTextual() ? v.asText() : v.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
