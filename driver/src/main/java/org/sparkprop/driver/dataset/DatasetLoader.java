package org.sparkprop.driver.dataset;

import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.BlockChecksum;
import org.sparkprop.core.data.SparseBlock;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.config.TrainingConfig;
import org.sparkprop.driver.data.DataError;
import org.sparkprop.driver.data.DataFileException;
import org.sparkprop.driver.data.LabelMap;
import org.sparkprop.driver.data.LabelRule;

/**
 * Reads a data set once where it lives (text splits, IDX record ranges, DataFrame partitions),
 * checks it, maps its labels to the model's classes, balances it over partitions and caches it
 * ({@code MEMORY_AND_DISK}).
 */
public final class DatasetLoader {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);
  /** Distinct labels a partition reports at most while the mapping is chosen. */
  static final int MAX_DISTINCT_LABELS = 1024;

  private final JavaSparkContext jsc;
  private final TrainingConfig.Data data;
  private final ModelSpec spec;
  private final long seed;
  private org.apache.spark.sql.Dataset<Row> frame;

  /**
   * @param spec the model the data is for: its kind decides how labels are checked and mapped
   */
  public DatasetLoader(JavaSparkContext jsc, TrainingConfig.Data data, ModelSpec spec,
      long seed) {
    this.jsc = jsc;
    this.data = data;
    this.spec = spec;
    this.seed = seed;
  }

  /**
   * Reads {@code df} (a Spark ML fit's DataFrame) instead of the data {@code data.train} names;
   * {@code data.format} must be {@code table}.
   */
  public DatasetLoader withFrame(org.apache.spark.sql.Dataset<Row> df) {
    this.frame = df;
    return this;
  }

  /** What the tasks read: training rows (with held-out test rows), a test set, the shape. */
  private record Read(Parsed train, Parsed test, int width, boolean sparse) {}

  /**
   * Loads training and test data.
   *
   * @throws DataFileException for bad records (file, line, token), empty data, and labels that
   *     do not fit the model
   */
  public Dataset load() {
    int partitions = data.partitions() > 0 ? data.partitions() : jsc.defaultParallelism();
    LabelRule rule = initialRule();
    Read read = read(rule, partitions);
    LabelMap labels = rule.collecting() ? chooseLabels(read, partitions) : rule.map();
    LabelMap relabel = rule.collecting() ? labels : null;
    boolean stamp = "libsvm".equals(data.format());
    JavaRDD<Block> trainRdd = balanced(read.train(), false, false, partitions,
        stamp ? read.width() : 0, "training data", relabel);
    JavaRDD<Block> testRdd = null;
    if (read.test() != null) {
      testRdd = balanced(read.test(), false, true, partitions, stamp ? read.width() : 0,
          "test data", relabel);
    } else if (data.testFraction() > 0) {
      testRdd = balanced(read.train(), true, true, partitions, stamp ? read.width() : 0,
          "held-out test rows", relabel);
    }
    Dataset ds = finish(trainRdd, testRdd, read.width(), read.sparse(), labels);
    read.train().rdd.unpersist(false);
    if (read.test() != null) {
      read.test().rdd.unpersist(false);
    }
    return ds;
  }

  private Read read(LabelRule rule, int partitions) {
    return switch (data.format()) {
      case "mnist" -> readMnist(rule, partitions);
      case "libsvm", "csv" -> readText(rule);
      default -> readTable(rule);
    };
  }

  /** The rule labels are read with: the configured mapping, or collecting for auto. */
  private LabelRule initialRule() {
    if (!spec.isClassification()) {
      return LabelRule.of(spec, null);
    }
    switch (data.labels()) {
      case "auto":
        return LabelRule.collecting(spec);
      case "list":
        if (data.labelList().length != spec.numClasses()) {
          throw new DataFileException(data.train(), -1, -1, null, "data.labels lists "
              + data.labelList().length + " labels, the model has " + spec.numClasses()
              + " classes (model.outputs)");
        }
        return LabelRule.of(spec, LabelMap.of(data.labelList()));
      default:
        if ("signed".equals(data.labels()) && spec.numClasses() != 2) {
          throw new DataFileException(data.train(), -1, -1, null, "data.labels = signed (-1/+1) "
              + "is for two classes, the model has " + spec.numClasses());
        }
        return LabelRule.of(spec, LabelMap.forSetting(data.labels(), spec.numClasses()));
    }
  }

  /**
   * {@code data.labels = auto}: the mapping the labels found call for. When they fit none, the
   * data is read again with the nearest mapping (classes from 0, or from 1 when no label is 0)
   * so that the first label that does not fit is reported with its file and line.
   */
  private LabelMap chooseLabels(Read read, int partitions) {
    SortedSet<Double> found = new TreeSet<>();
    for (Parsed p : read.test() == null ? List.of(read.train()) : List.of(read.train(),
        read.test())) {
      for (SourceStats s : p.stats) {
        if (s.labels == null) {
          throw new DataFileException(p.path, -1, -1, null, "holds more than "
              + MAX_DISTINCT_LABELS + " distinct labels, too many for a classifier of "
              + spec.numClasses() + " classes: is model.type right?");
        }
        for (float l : s.labels) {
          found.add((double) l);
        }
      }
    }
    if (found.isEmpty()) {
      return LabelMap.index(spec.numClasses());
    }
    try {
      LabelMap map = LabelMap.choose(found, spec.numClasses());
      if (!map.isIndex()) {
        LOG.info("data.labels = auto: labels {} are classes 0..{}", map.describe(),
            map.size() - 1);
      }
      return map;
    } catch (IllegalArgumentException e) {
      boolean integral = found.stream().allMatch(v -> v == Math.rint(v));
      if (integral && found.first() >= 0) {
        LabelMap nearest = found.first() >= 1 ? LabelMap.oneBased(spec.numClasses())
            : LabelMap.index(spec.numClasses());
        read.train().rdd.unpersist(false);
        if (read.test() != null) {
          read.test().rdd.unpersist(false);
        }
        read(LabelRule.of(spec, nearest), partitions); // throws, naming the first misfit
      }
      throw new DataFileException(read.train().path, -1, -1, null, e.getMessage());
    }
  }

  private Read readMnist(LabelRule rule, int partitions) {
    MnistFiles files = MnistFiles.locate(data.train(), data.mnistFetch(),
        jsc.hadoopConfiguration());
    Parsed train = checked(IdxSource.read(jsc, files.images(false), files.labels(false),
        partitions, data.blockRows(), rule), files.images(false).toString(), false);
    Parsed test = checked(IdxSource.read(jsc, files.images(true), files.labels(true),
        partitions, data.blockRows(), rule), files.images(true).toString(), false);
    return new Read(train, test, train.width, false);
  }

  private Read readText(LabelRule rule) {
    TextSource text = new TextSource(jsc, data);
    Parsed train = checked(text.read(data.train(), rule, data.test().isBlank()
        ? data.testFraction() : 0, seed), data.train());
    Parsed test = data.test().isBlank() ? null
        : checked(text.read(data.test(), rule, 0, seed), data.test());
    if ("libsvm".equals(data.format())) {
      int width = data.numFeatures() > 0 ? data.numFeatures()
          : Math.max(train.width, test == null ? 0 : test.width);
      return new Read(train, test, width, true);
    }
    TextSource.checkCsvWidths(data.train(), train.stats);
    if (test != null) {
      TextSource.checkCsvWidths(data.test(), test.stats);
      if (test.width != train.width) {
        throw new DataFileException(data.test(), -1, -1, null, "test rows have " + test.width
            + " features, training rows have " + train.width
            + ": the files must have the same columns");
      }
    }
    return new Read(train, test, train.width, false);
  }

  private Read readTable(LabelRule rule) {
    SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
    TableSource table = new TableSource(spark, data.format(), data.featuresCol(),
        data.labelCol());
    org.apache.spark.sql.Dataset<Row> trainFrame = frame != null ? frame
        : table.frame(data.train());
    table.check(trainFrame, data.train());
    boolean sparse = table.sparse(trainFrame);
    Parsed train = checked(table.read(trainFrame, data.train(), rule, data.blockRows(),
        data.test().isBlank() ? data.testFraction() : 0, seed), data.train());
    Parsed test = data.test().isBlank() ? null : checked(table.read(table.frame(data.test()),
        data.test(), rule, data.blockRows(), 0, seed), data.test());
    if (test != null && test.width != train.width && test.width > 0) {
      throw new DataFileException(data.test(), -1, -1, null, "has " + test.width + " features "
          + "in column " + data.featuresCol() + ", the training data " + train.width);
    }
    return new Read(train, test, train.width, sparse);
  }

  /** Read but not yet balanced data, with per-source-partition counts. */
  private static final class Parsed {
    JavaRDD<SourceBlock> rdd;
    /** The source partitions in the data's order, or null for index order. */
    int[] order;
    List<SourceStats> stats;
    long[] trainRows;
    long[] testRows;
    int width;
    String path;
  }

  private Parsed checked(JavaRDD<SourceBlock> read, String path) {
    return checked(read, path, true);
  }

  /**
   * Checks what the tasks read: rows and width per source partition, and the first problem in
   * file order (the lowest partition's; a text line gets its line number from the lines the
   * splits before it read), the same one in every run.
   *
   * @param keep cache what the tasks read for the balancing pass (parsed text is expensive to
   *     parse again); binary records are cheaper to read again than to hold twice in memory
   * @throws DataFileException for that problem
   */
  private Parsed checked(JavaRDD<SourceBlock> read, String path, boolean keep) {
    Parsed p = new Parsed();
    p.path = path;
    p.rdd = keep ? read.persist(StorageLevel.MEMORY_AND_DISK()) : read;
    p.order = FileSplits.order(read.rdd());
    boolean collect = spec.isClassification();
    p.stats = p.rdd.mapPartitionsWithIndex((index, it) -> stats(index, it, collect), true)
        .collect();
    p.trainRows = new long[p.stats.size()];
    p.testRows = new long[p.stats.size()];
    int[] rank = new int[p.stats.size()]; // a partition's place in the data's order
    for (int k = 0; k < rank.length; k++) {
      rank[p.order == null ? k : p.order[k]] = k;
    }
    SourceStats bad = null;
    for (SourceStats s : p.stats) {
      p.trainRows[s.partition] = s.trainRows;
      p.testRows[s.partition] = s.testRows;
      p.width = Math.max(p.width, s.width);
      if (s.error != null && (bad == null || rank[s.partition] < rank[bad.partition])) {
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
   * @param collect gather the distinct labels (up to {@value #MAX_DISTINCT_LABELS}; null past
   *     that)
   */
  private static Iterator<SourceStats> stats(int index, Iterator<SourceBlock> it,
      boolean collect) {
    long train = 0;
    long test = 0;
    int width = 0;
    DataError error = null;
    String file = null;
    long lines = -1;
    TreeSet<Float> labels = collect ? new TreeSet<>() : null;
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
      for (int r = 0; labels != null && r < b.numRows(); r++) {
        labels.add(b.label(r));
        if (labels.size() > MAX_DISTINCT_LABELS) {
          labels = null;
        }
      }
      if (b instanceof SparseBlock) {
        for (int i : ((SparseBlock) b).indices()) {
          width = Math.max(width, i + 1);
        }
      } else {
        width = Math.max(width, b.numFeatures());
      }
    }
    float[] distinct = null;
    if (labels != null) {
      distinct = new float[labels.size()];
      int k = 0;
      for (float l : labels) {
        distinct[k++] = l;
      }
    }
    return List.of(new SourceStats(index, train, test, width, error, file, lines, distinct))
        .iterator();
  }

  /**
   * @param test take the rows the seeded split held out (else the training rows)
   * @param evaluation the rows are evaluated, not trained on: fewer rows than partitions is
   *     fine (fewer partitions are used)
   */
  private JavaRDD<Block> balanced(Parsed p, boolean test, boolean evaluation, int partitions,
      int width, String what, LabelMap relabel) {
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
    if (relabel != null) {
      source = source.map(b -> relabeled(b, relabel));
    }
    return Rebalancer.balance(source, rows, p.order, targets, data.blockRows(), width);
  }

  /** {@code b} with each label replaced by its class under {@code map}. */
  private static Block relabeled(Block b, LabelMap map) {
    float[] classes = new float[b.numRows()];
    for (int r = 0; r < classes.length; r++) {
      classes[r] = map.classOf(b.label(r));
    }
    return b.withLabels(classes);
  }

  private static void requireRows(long rows, int partitions, String what) {
    if (rows < partitions) {
      throw new DataFileException("(" + what + ")", -1, -1, null, "has " + rows
          + " rows, fewer than the " + partitions + " partitions: lower data.partitions");
    }
  }

  private Dataset finish(JavaRDD<Block> trainRdd, JavaRDD<Block> testRdd, int width,
      boolean sparse, LabelMap labels) {
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
        bytes, DataFingerprint.of(partitionRows, checksums, width, sparse), labels);
  }
}
