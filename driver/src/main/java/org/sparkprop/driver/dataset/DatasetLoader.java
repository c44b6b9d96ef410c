package org.sparkprop.driver.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
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
import org.sparkprop.core.data.Blocks;
import org.sparkprop.core.data.DenseBlock;
import org.sparkprop.core.data.SparseBlock;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.CsvParser;
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
    DenseBlock train = files.read(false, labelRule);
    DenseBlock test = files.read(true, labelRule);
    JavaRDD<Block> trainRdd = fromLocal(train, partitions, "mnist train");
    JavaRDD<Block> testRdd = fromLocal(test, partitions, "mnist test");
    return finish(trainRdd, testRdd, train.numFeatures(), false);
  }

  private JavaRDD<Block> fromLocal(Block all, int partitions, String what) {
    requireRows(all.numRows(), partitions, what);
    List<Block> chunks = new ArrayList<>();
    for (int from = 0; from < all.numRows(); from += data.blockRows()) {
      chunks.add(Blocks.slice(all, from, Math.min(all.numRows(), from + data.blockRows())));
    }
    int sourcePartitions = Math.min(partitions, chunks.size());
    JavaRDD<Block> source = jsc.parallelize(chunks, sourcePartitions);
    long[] sourceRows = new long[sourcePartitions];
    // ParallelCollectionRDD slices [i*n/k, (i+1)*n/k).
    for (int i = 0; i < sourcePartitions; i++) {
      int from = (int) ((long) i * chunks.size() / sourcePartitions);
      int to = (int) ((long) (i + 1) * chunks.size() / sourcePartitions);
      for (int c = from; c < to; c++) {
        sourceRows[i] += chunks.get(c).numRows();
      }
    }
    return Rebalancer.balance(source, sourceRows, partitions, data.blockRows(), 0);
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

  /** Parsed but not yet balanced data, with per-source-partition counts. */
  private static final class Parsed {
    JavaRDD<SourceBlock> rdd;
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
    Parsed p = new Parsed();
    p.path = path;
    p.rdd = lines.mapPartitionsWithInputSplit(
            (split, it) -> parsing.parse(split, it), true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<SourceStats> stats = translatingErrors(() -> p.rdd.mapPartitionsWithIndex(
        DatasetLoader::stats, true).collect());
    p.trainRows = new long[stats.size()];
    p.testRows = new long[stats.size()];
    int csvWidth = -1;
    for (SourceStats s : stats) {
      p.trainRows[s.partition] = s.trainRows;
      p.testRows[s.partition] = s.testRows;
      p.width = Math.max(p.width, s.width);
      if (s.width > 0 && !"libsvm".equals(data.format())) {
        if (csvWidth >= 0 && s.width != csvWidth) {
          throw new DataFileException(path, -1, -1, null, "files or parts of files have "
              + csvWidth + " and " + s.width + " feature columns: every row needs the same");
        }
        csvWidth = s.width;
      }
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
    while (it.hasNext()) {
      SourceBlock sb = it.next();
      Block b = sb.block();
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
    return List.of(new SourceStats(index, train, test, width)).iterator();
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
    JavaRDD<Block> source = p.rdd.filter(sb -> sb.isTest() == test).map(SourceBlock::block);
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
    List<long[]> perPartition = translatingErrors(() -> trainRdd.mapPartitions(it -> {
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
    }).collect());
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
      testRows = translatingErrors(() -> testRdd.map(b -> (long) b.numRows())
          .fold(0L, Long::sum));
    }
    LOG.info("cached {} training rows in {} partitions ({} MB), {} test rows, {} features",
        trainRows, partitionRows.length, bytes >> 20, testRows, width);
    return new Dataset(trainRdd, testRdd, trainRows, testRows, width, sparse, partitionRows,
        bytes, DataFingerprint.of(partitionRows, checksums, width, sparse));
  }

  /** Runs a Spark action; a bad record surfaces as a DataFileException with its line number. */
  private <T> T translatingErrors(Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) { // SparkException is checked in Java's eyes but thrown undeclared
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof DataFileException) {
          throw withLineNumber((DataFileException) t, jsc.hadoopConfiguration());
        }
      }
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Counts the newlines before the failing record's byte offset. */
  static DataFileException withLineNumber(DataFileException e, Configuration conf) {
    if (e.line() > 0 || e.byteOffset() < 0) {
      return e;
    }
    Path path = new Path(e.file());
    try (InputStream in = open(path, conf)) { // offsets are in the decompressed stream
      byte[] buf = new byte[1 << 16];
      long remaining = e.byteOffset();
      long line = 1;
      while (remaining > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            line++;
          }
        }
        remaining -= n;
      }
      return e.withLine(line);
    } catch (IOException io) {
      LOG.warn("could not find the line number of byte {} in {}", e.byteOffset(), e.file(), io);
      return e;
    }
  }
}
