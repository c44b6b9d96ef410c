package org.sparkprop.driver.dataset;

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
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.config.TrainingConfig;
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
  private record Read(CheckedSource train, CheckedSource test, int width, boolean sparse) {}

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
    for (CheckedSource p : read.test() == null ? List.of(read.train()) : List.of(read.train(),
        read.test())) {
      for (SourceStats s : p.stats) {
        if (s.labels == null) {
          throw new DataFileException(p.path, -1, -1, null, "holds more than "
              + CheckedSource.MAX_DISTINCT_LABELS + " distinct labels, too many for a classifier of "
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
    CheckedSource train = checked(IdxSource.read(jsc, files.images(false), files.labels(false),
        partitions, data.blockRows(), rule), files.images(false).toString(), false);
    CheckedSource test = checked(IdxSource.read(jsc, files.images(true), files.labels(true),
        partitions, data.blockRows(), rule), files.images(true).toString(), false);
    return new Read(train, test, train.width, false);
  }

  private Read readText(LabelRule rule) {
    TextSource text = new TextSource(jsc, data);
    CheckedSource train = checked(text.read(data.train(), rule, data.test().isBlank()
        ? data.testFraction() : 0, seed), data.train());
    CheckedSource test = data.test().isBlank() ? null
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
        data.labelCol(), data.weightCol());
    org.apache.spark.sql.Dataset<Row> trainFrame = frame != null ? frame
        : table.frame(data.train());
    table.check(trainFrame, data.train());
    boolean sparse = table.sparse(trainFrame);
    CheckedSource train = checked(table.read(trainFrame, data.train(), rule, data.blockRows(),
        data.test().isBlank() ? data.testFraction() : 0, seed), data.train());
    CheckedSource test = data.test().isBlank() ? null : checked(table.read(table.frame(data.test()),
        data.test(), rule, data.blockRows(), 0, seed), data.test());
    if (test != null && test.width != train.width && test.width > 0) {
      throw new DataFileException(data.test(), -1, -1, null, "has " + test.width + " features "
          + "in column " + data.featuresCol() + ", the training data " + train.width);
    }
    return new Read(train, test, train.width, sparse);
  }

  private CheckedSource checked(JavaRDD<SourceBlock> read, String path) {
    return CheckedSource.check(read, path, true, spec.isClassification());
  }

  private CheckedSource checked(JavaRDD<SourceBlock> read, String path, boolean keep) {
    return CheckedSource.check(read, path, keep, spec.isClassification());
  }

  /**
   * @param test take the rows the seeded split held out (else the training rows)
   * @param evaluation the rows are evaluated, not trained on: fewer rows than partitions is
   *     fine (fewer partitions are used)
   */
  private JavaRDD<Block> balanced(CheckedSource p, boolean test, boolean evaluation, int partitions,
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
