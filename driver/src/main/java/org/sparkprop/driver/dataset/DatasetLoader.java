package org.sparkprop.driver.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
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
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.BlockChecksum;
import org.sparkprop.core.data.SparseBlock;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.CsvParser;
import org.sparkprop.driver.data.DataError;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.LibsvmParser;

/**
 * Reads a data set once, checks it, balances it over partitions and caches it
 * ({@code MEMORY_AND_DISK}).
 */
public final class DatasetLoader {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);

  private final JavaSparkContext jsc;
  private final TrainingConfig.Data data;
  private final ModelSpec labelRule;
  private final long seed;

  /**
   * @param labelRule the model the data is for; its {@code labelProblem} checks every label
   */
  public DatasetLoader(JavaSparkContext jsc, TrainingConfig.Data data, ModelSpec labelRule,
      long seed) {
    this.jsc = jsc;
    this.data = data;
    this.labelRule = labelRule;
    this.seed = seed;
  }

  /**
   * Loads training and test data.
   *
   * @throws DataFileException for bad records (file, line, token) and empty data
   */
  public Dataset load() {
    int partitions = data.partitions() > 0 ? data.partitions() : jsc.defaultParallelism();
    if ("mnist".equals(data.format())) {
      return loadMnist(partitions);
    }
    return loadText(partitions);
  }

  private Dataset loadMnist(int partitions) {
    MnistFiles files = MnistFiles.locate(data.train(), data.mnistFetch(),
        jsc.hadoopConfiguration());
    Parsed train = checked(IdxSource.read(jsc, files.images(false), files.labels(false),
        partitions, data.blockRows(), labelRule), files.images(false).toString(), false);
    Parsed test = checked(IdxSource.read(jsc, files.images(true), files.labels(true),
        partitions, data.blockRows(), labelRule), files.images(true).toString(), false);
    JavaRDD<Block> trainRdd = balanced(train, false, false, partitions, 0, "training data");
    JavaRDD<Block> testRdd = balanced(test, false, true, partitions, 0, "test data");
    Dataset ds = finish(trainRdd, testRdd, train.width, false);
    train.rdd.unpersist(false);
    test.rdd.unpersist(false);
    return ds;
  }

  private Dataset loadText(int partitions) {
    Parsed train = parseText(data.train(), data.test().isBlank() ? data.testFraction() : 0);
    Parsed test = null;
    if (!data.test().isBlank()) {
      test = parseText(data.test(), 0);
    }
    int width;
    if ("libsvm".equals(data.format())) {
      width = data.numFeatures() > 0 ? data.numFeatures()
          : Math.max(train.width, test == null ? 0 : test.width);
    } else {
      width = train.width;
      if (test != null && test.width != width) {
        throw new DataFileException(data.test(), -1, -1, null, "test rows have " + test.width
            + " features, training rows have " + width + ": the files must have the same columns");
      }
    }
    JavaRDD<Block> trainRdd = balanced(train, false, false, partitions, width, "training data");
    JavaRDD<Block> testRdd = null;
    if (test != null) {
      testRdd = balanced(test, false, true, partitions, width, "test data");
    } else if (data.testFraction() > 0) {
      testRdd = balanced(train, true, true, partitions, width, "held-out test rows");
    }
    Dataset ds = finish(trainRdd, testRdd, width, "libsvm".equals(data.format()));
    train.rdd.unpersist(false);
    if (test != null) {
      test.rdd.unpersist(false);
    }
    return ds;
  }

  /** Read but not yet balanced data, with per-source-partition counts. */
  private static final class Parsed {
    JavaRDD<SourceBlock> rdd;
    List<SourceStats> stats;
    long[] trainRows;
    long[] testRows;
    int width;
    String path;
  }

  private Parsed parseText(String path, double testFraction) {
    List<String> files = dataFiles(path);
    LibsvmParser libsvm = new LibsvmParser(data.oneBased(), data.numFeatures());
    CsvParser csv = new CsvParser(data.csvDelimiter(), data.csvLabelColumn(),
        "csv".equals(data.format()) ? csvColumns(files.get(0)) : 0);
    TextParsing parsing = new TextParsing(data.format(), libsvm, csv, data.csvHeader(),
        labelRule, data.blockRows(), testFraction, seed, data.numFeatures());
    @SuppressWarnings("unchecked")
    JavaHadoopRDD<LongWritable, Text> lines = (JavaHadoopRDD<LongWritable, Text>) jsc.hadoopFile(
        String.join(",", files), TextInputFormat.class, LongWritable.class, Text.class);
    Parsed p = checked(lines.mapPartitionsWithInputSplit(
        (split, it) -> parsing.parse(split, it), true), path);
    if (!"libsvm".equals(data.format())) {
      int csvWidth = -1;
      for (SourceStats s : p.stats) {
        if (s.width > 0) {
          if (csvWidth >= 0 && s.width != csvWidth) {
            throw new DataFileException(path, -1, -1, null, "files or parts of files have "
                + csvWidth + " and " + s.width + " feature columns: every row needs the same");
          }
          csvWidth = s.width;
        }
      }
    }
    return p;
  }

  /**
   * Caches what the tasks read and checks it: rows and width per source partition, and the
   * first problem in file order (the lowest partition's; a text line gets its line number from
   * the lines the splits before it read), the same one in every run.
   *
   * @throws DataFileException for that problem
   */
  private Parsed checked(JavaRDD<SourceBlock> read, String path) {
    return checked(read, path, true);
  }

  /**
   * @param keep cache what the tasks read for the balancing pass (parsed text is expensive to
   *     parse again); binary records are cheaper to read again than to hold twice in memory
   */
  private Parsed checked(JavaRDD<SourceBlock> read, String path, boolean keep) {
    Parsed p = new Parsed();
    p.path = path;
    p.rdd = keep ? read.persist(StorageLevel.MEMORY_AND_DISK()) : read;
    p.stats = p.rdd.mapPartitionsWithIndex(DatasetLoader::stats, true).collect();
    p.trainRows = new long[p.stats.size()];
    p.testRows = new long[p.stats.size()];
    SourceStats bad = null;
    for (SourceStats s : p.stats) {
      p.trainRows[s.partition] = s.trainRows;
      p.testRows[s.partition] = s.testRows;
      p.width = Math.max(p.width, s.width);
      if (s.error != null && (bad == null || s.partition < bad.partition)) {
        bad = s;
      }
    }
    if (bad != null) {
      p.rdd.unpersist(false);
      DataError e = bad.error;
      if (e.linesBefore() >= 0) {
        long line = e.linesBefore() + 1;
        for (SourceStats s : p.stats) {
          if (s.partition < bad.partition && e.file().equals(s.file)) {
            line += s.lines;
          }
        }
        e = e.withLine(line);
      }
      throw e.toException();
    }
    return p;
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

  private static Iterator<SourceStats> stats(int index, Iterator<SourceBlock> it) {
    long train = 0;
    long test = 0;
    int width = 0;
    DataError error = null;
    String file = null;
    long lines = -1;
    while (it.hasNext()) {
      SourceBlock sb = it.next();
      if (sb.error() != null) {
        error = sb.error();
        continue;
      }
      Block b = sb.block();
      if (b == null) {
        file = sb.file();
        lines = sb.lines();
        continue;
      }
      if (sb.isTest()) {
        test += b.numRows();
      } else {
        train += b.numRows();
      }
      if (b instanceof SparseBlock) {
        for (int i : ((SparseBlock) b).indices()) {
          width = Math.max(width, i + 1);
        }
      } else {
        width = Math.max(width, b.numFeatures());
      }
    }
    return List.of(new SourceStats(index, train, test, width, error, file, lines)).iterator();
  }

  /**
   * @param test take the rows the seeded split held out (else the training rows)
   * @param evaluation the rows are evaluated, not trained on: fewer rows than partitions is
   *     fine (fewer partitions are used)
   */
  private JavaRDD<Block> balanced(Parsed p, boolean test, boolean evaluation, int partitions,
      int width, String what) {
    long[] rows = test ? p.testRows : p.trainRows;
    long total = 0;
    for (long r : rows) {
      total += r;
    }
    if (total == 0) {
      throw new DataFileException(p.path, -1, -1, null, "has no " + what
          + (test ? ": raise data.test_fraction" : ": the file(s) are empty or all comments"));
    }
    int targets = partitions;
    if (evaluation) {
      targets = (int) Math.min(partitions, total);
    } else {
      requireRows(total, partitions, what);
    }
    JavaRDD<Block> source = p.rdd.filter(sb -> sb.block() != null && sb.isTest() == test)
        .map(SourceBlock::block);
    return Rebalancer.balance(source, rows, targets, data.blockRows(),
        "libsvm".equals(data.format()) ? width : 0);
  }

  private static void requireRows(long rows, int partitions, String what) {
    if (rows < partitions) {
      throw new DataFileException("(" + what + ")", -1, -1, null, "has " + rows
          + " rows, fewer than the " + partitions + " partitions: lower data.partitions");
    }
  }

  private Dataset finish(JavaRDD<Block> trainRdd, JavaRDD<Block> testRdd, int width,
      boolean sparse) {
    trainRdd.persist(StorageLevel.MEMORY_AND_DISK()).setName("sparkprop training blocks");
    // One pass over each cached partition: its rows, bytes and checksum (the data fingerprint).
    List<long[]> perPartition = trainRdd.mapPartitions(it -> {
      long rows = 0;
      long bytes = 0;
      BlockChecksum checksum = new BlockChecksum();
      while (it.hasNext()) {
        Block b = it.next();
        rows += b.numRows();
        bytes += b.sizeInBytes();
        checksum.add(b);
      }
      return List.of(new long[] {rows, bytes, checksum.value()}).iterator();
    }).collect();
    long[] partitionRows = new long[perPartition.size()];
    long[] checksums = new long[perPartition.size()];
    long trainRows = 0;
    long bytes = 0;
    for (int i = 0; i < partitionRows.length; i++) {
      partitionRows[i] = perPartition.get(i)[0];
      checksums[i] = perPartition.get(i)[2];
      trainRows += partitionRows[i];
      bytes += perPartition.get(i)[1];
    }
    long testRows = 0;
    if (testRdd != null) {
      testRdd.persist(StorageLevel.MEMORY_AND_DISK()).setName("sparkprop test blocks");
      testRows = testRdd.map(b -> (long) b.numRows()).fold(0L, Long::sum);
    }
    LOG.info("cached {} training rows in {} partitions ({} MB), {} test rows, {} features",
        trainRows, partitionRows.length, bytes >> 20, testRows, width);
    return new Dataset(trainRdd, testRdd, trainRows, testRows, width, sparse, partitionRows,
        bytes, DataFingerprint.of(partitionRows, checksums, width, sparse));
  }
}
