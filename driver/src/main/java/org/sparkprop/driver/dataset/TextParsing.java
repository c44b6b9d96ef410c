package org.sparkprop.driver.dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.sparkprop.core.data.RowSink;
import org.sparkprop.driver.data.CsvParser;
import org.sparkprop.driver.data.DataError;
import org.sparkprop.driver.data.LabelRule;
import org.sparkprop.driver.data.LibsvmParser;
import org.sparkprop.driver.data.ParsedRow;
import org.sparkprop.driver.data.RecordFormatException;
import scala.Tuple2;

/**
 * Parses the lines of one input split into blocks, on an executor. The first problem ends the
 * split with a {@link DataError} value (the file, the line's byte offset and how many lines of
 * the split came before it); the driver turns that into a line number. A UTF-8 byte order mark
 * at the start of a file is skipped.
 */
final class TextParsing implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The UTF-8 byte order mark, as Java decodes it. */
  static final String BOM = "\uFEFF";

  /** Feature count used while the real one is still unknown (libsvm without num_features). */
  static final int UNKNOWN_WIDTH = Integer.MAX_VALUE;

  private final boolean libsvm;
  private final LibsvmParser libsvmParser;
  private final CsvParser csvParser;
  private final boolean csvHeader;
  private final LabelRule labelRule;
  private final int blockRows;
  private final double testFraction;
  private final long seed;
  private final int fixedFeatures;

  TextParsing(String format, LibsvmParser libsvmParser, CsvParser csvParser, boolean csvHeader,
      LabelRule labelRule, int blockRows, double testFraction, long seed, int fixedFeatures) {
    this.libsvm = "libsvm".equals(format);
    this.libsvmParser = libsvmParser;
    this.csvParser = csvParser;
    this.csvHeader = csvHeader;
    this.labelRule = labelRule;
    this.blockRows = blockRows;
    this.testFraction = testFraction;
    this.seed = seed;
    this.fixedFeatures = fixedFeatures;
  }

  /** Parses one split (all lines of it) into training and test blocks, or up to its first error. */
  Iterator<SourceBlock> parse(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
    String file = split instanceof FileSplit ? ((FileSplit) split).getPath().toString() : "?";
    ParsedRow row = new ParsedRow();
    RowSink train = null;
    RowSink test = null;
    List<SourceBlock> out = new ArrayList<>();
    long fileKey = fileKey(file);
    long linesRead = 0;
    while (lines.hasNext()) {
      Tuple2<LongWritable, Text> next = lines.next();
      long offset = next._1().get();
      String line = next._2().toString();
      linesRead++;
      if (offset == 0 && line.startsWith(BOM)) {
        line = line.substring(1);
      }
      if (csvHeader && !libsvm && offset == 0) {
        continue;
      }
      if (line.isBlank() || (libsvm && libsvmParser.isBlankOrComment(line))) {
        continue;
      }
      try {
        row.clear();
        if (libsvm) {
          libsvmParser.parse(line, row);
        } else {
          csvParser.parse(line, row);
        }
      } catch (RecordFormatException e) {
        return stop(out, DataError.atOffset(file, offset, linesRead - 1, e.token(), e.problem()));
      }
      String labelProblem = labelRule.problem(row.label());
      if (labelProblem != null) {
        return stop(out, DataError.atOffset(file, offset, linesRead - 1, null, labelProblem
            + " for model " + labelRule.spec().kind().configName()));
      }
      float label = labelRule.apply(row.label());
      // Depends only on (seed, file name, byte offset): not on how the input was split.
      boolean isTest = testFraction > 0 && uniform(seed, fileKey, offset) < testFraction;
      if (train == null) {
        int width = libsvm ? (fixedFeatures > 0 ? fixedFeatures : UNKNOWN_WIDTH) : row.size();
        train = libsvm ? RowSink.sparse(width) : RowSink.dense(width);
        test = libsvm ? RowSink.sparse(width) : RowSink.dense(width);
      }
      RowSink sink = isTest ? test : train;
      if (libsvm) {
        sink.addSparse(row.indices(), row.values(), row.nnz(), label);
      } else {
        if (row.size() != train.numFeatures()) {
          return stop(out, DataError.atOffset(file, offset, linesRead - 1, null, "row has "
              + row.size() + " features, earlier rows of this file have " + train.numFeatures()));
        }
        sink.addDense(row.denseValues(), label);
      }
      if (sink.numRows() == blockRows) {
        out.add(new SourceBlock(isTest, sink.finish()));
      }
    }
    if (train != null && train.numRows() > 0) {
      out.add(new SourceBlock(false, train.finish()));
    }
    if (test != null && test.numRows() > 0) {
      out.add(new SourceBlock(true, test.finish()));
    }
    out.add(SourceBlock.end(file, linesRead));
    return out.iterator();
  }

  /** The split's blocks so far are dropped: the run stops at the error anyway. */
  private static Iterator<SourceBlock> stop(List<SourceBlock> out, DataError error) {
    out.clear();
    out.add(SourceBlock.error(error));
    return out.iterator();
  }

  /** A stable key of a file's name (not its directory, so moved data splits the same). */
  static long fileKey(String file) {
    String name = file.substring(file.lastIndexOf('/') + 1);
    long h = 1125899906842597L;
    for (int i = 0; i < name.length(); i++) {
      h = 31 * h + name.charAt(i);
    }
    return h;
  }

  /** A uniform double in [0, 1) from the three keys (SplitMix64 finaliser). */
  static double uniform(long seed, long fileKey, long offset) {
    long z = seed * 0x9E3779B97F4A7C15L ^ fileKey * 0xC2B2AE3D27D4EB4FL ^ offset;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }
}
