package org.sparkprop.driver.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.CsvParser;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.LabelRule;
import org.sparkprop.driver.data.LibsvmParser;

/**
 * LIBSVM and CSV files read where they live: Hadoop input splits of the files, in name order,
 * each parsed by one task ({@link TextParsing}). The driver reads the first line of a CSV set
 * only, for its column count.
 */
final class TextSource {
  private final JavaSparkContext jsc;
  private final TrainingConfig.Data data;

  TextSource(JavaSparkContext jsc, TrainingConfig.Data data) {
    this.jsc = jsc;
    this.data = data;
  }

  /** The blocks of {@code path} (file, directory or glob), training and held-out rows. */
  JavaRDD<SourceBlock> read(String path, LabelRule rule, double testFraction, long seed) {
    List<String> files = dataFiles(path);
    LibsvmParser libsvm = new LibsvmParser(data.oneBased(), data.numFeatures());
    CsvParser csv = new CsvParser(data.csvDelimiter(), data.csvLabelColumn(),
        "csv".equals(data.format()) ? csvColumns(files.get(0)) : 0);
    TextParsing parsing = new TextParsing(data.format(), libsvm, csv, data.csvHeader(),
        rule, data.blockRows(), testFraction, seed, data.numFeatures());
    @SuppressWarnings("unchecked")
    JavaHadoopRDD<LongWritable, Text> lines = (JavaHadoopRDD<LongWritable, Text>) jsc.hadoopFile(
        String.join(",", files), TextInputFormat.class, LongWritable.class, Text.class);
    return lines.mapPartitionsWithInputSplit((split, it) -> parsing.parse(split, it), true);
  }

  /** A CSV set's files and splits must agree on the column count. */
  static void checkCsvWidths(String path, List<SourceStats> stats) {
    int csvWidth = -1;
    for (SourceStats s : stats) {
      if (s.width > 0) {
        if (csvWidth >= 0 && s.width != csvWidth) {
          throw new DataFileException(path, -1, -1, null, "files or parts of files have "
              + csvWidth + " and " + s.width + " feature columns: every row needs the same");
        }
        csvWidth = s.width;
      }
    }
  }

  /**
   * The column count of a CSV data set, from the first data line of its first file, read on the
   * driver: every task then checks its rows against it, so a bad row is named wherever it is.
   */
  private int csvColumns(String file) {
    Path p = new Path(file);
    try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
        open(p, jsc.hadoopConfiguration()), java.nio.charset.StandardCharsets.UTF_8))) {
      CsvParser probe = new CsvParser(data.csvDelimiter(), data.csvLabelColumn(), 0);
      org.sparkprop.driver.data.ParsedRow row = new org.sparkprop.driver.data.ParsedRow();
      long lineNumber = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (lineNumber == 1 && line.startsWith(TextParsing.BOM)) {
          line = line.substring(1);
        }
        if ((data.csvHeader() && lineNumber == 1) || probe.isBlank(line)) {
          continue;
        }
        try {
          probe.parse(line, row);
        } catch (org.sparkprop.driver.data.RecordFormatException e) {
          throw new DataFileException(file, lineNumber, -1, e.token(), e.problem());
        }
        return probe.columns();
      }
      return 0; // no data line: reported as an empty data set later
    } catch (IOException e) {
      throw new DataFileException(file, -1, -1, null, "cannot be read: " + e.getMessage());
    }
  }

  /** Opens a file, decompressing it when its name says so (.gz, .bz2, ...), as Hadoop does. */
  static InputStream open(Path p, Configuration conf) throws IOException {
    InputStream raw = FileSystem.get(p.toUri(), conf).open(p);
    org.apache.hadoop.io.compress.CompressionCodec codec =
        new org.apache.hadoop.io.compress.CompressionCodecFactory(conf).getCodec(p);
    return codec == null ? raw : codec.createInputStream(raw);
  }

  /**
   * The data files under {@code path} (a file, a directory, or a glob), sorted by name: the row
   * order must not depend on the order a file system lists files.
   */
  private List<String> dataFiles(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = FileSystem.get(p.toUri(), jsc.hadoopConfiguration());
      org.apache.hadoop.fs.FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new DataFileException(path, -1, -1, null, "no such file or directory");
      }
      List<String> files = new ArrayList<>();
      for (org.apache.hadoop.fs.FileStatus m : matches) {
        collect(fs, m, files);
      }
      if (files.isEmpty()) {
        throw new DataFileException(path, -1, -1, null, "holds no data files");
      }
      java.util.Collections.sort(files);
      return files;
    } catch (IOException e) {
      throw new DataFileException(path, -1, -1, null, "cannot be listed: " + e.getMessage());
    }
  }

  private static void collect(FileSystem fs, org.apache.hadoop.fs.FileStatus status,
      List<String> out) throws IOException {
    String name = status.getPath().getName();
    if (name.startsWith(".") || name.startsWith("_")) {
      return; // hidden files and markers such as _SUCCESS, as Hadoop's input formats do
    }
    if (status.isDirectory()) {
      for (org.apache.hadoop.fs.FileStatus child : fs.listStatus(status.getPath())) {
        collect(fs, child, out);
      }
    } else {
      if (status.getPath().toString().contains(",")) {
        throw new DataFileException(status.getPath().toString(), -1, -1, null,
            "has a comma in its path, which Hadoop's input formats cannot read: rename it");
      }
      out.add(status.getPath().toString());
    }
  }
}
