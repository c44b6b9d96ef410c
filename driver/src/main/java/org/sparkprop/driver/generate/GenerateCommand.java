package org.sparkprop.driver.generate;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparkprop.driver.generate.GenerateOptions.Format;
import org.sparkprop.driver.generate.GenerateOptions.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code sparkprop generate}: writes a seeded synthetic data set ({@link DatasetGenerator}) from
 * the options into {@link GenerateOptions}.
 */
@Command(name = "generate", header = "Write a seeded synthetic LIBSVM/CSV data set",
    sortOptions = false, usageHelpAutoWidth = true, usageHelpWidth = 100,
    mixinStandardHelpOptions = true, versionProvider = org.sparkprop.driver.Version.class,
    description = {
      "Writes a synthetic dataset with a known ground truth, as LIBSVM or CSV text.",
      "The same options and seed always give byte-identical files.", ""},
    footer = {"",
      "Features are N(0,1) with 6 significant digits. Labels are computed from the values",
      "as written, so a model of the right kind can reach about (1 - noise) accuracy."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:done", "1:writing failed", "2:bad arguments"})
public final class GenerateCommand implements Callable<Integer> {
  /** Exit code: done. */
  public static final int OK = 0;
  /** Exit code: writing failed. */
  public static final int FAILED = 1;
  /** Exit code: bad arguments. */
  public static final int USAGE = 2;

  @Spec CommandSpec spec;
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--out", required = true, paramLabel = "PATH",
      converter = LocalPath.class, description = "output file (a local path). Parent "
        + "directories are created; the file is written to PATH.tmp and renamed when done.")
  Path path;

  @Option(names = "--kind", paramLabel = "KIND", converter = KindName.class,
      defaultValue = "logistic", description = {"ground truth (default logistic):",
        "  linear       y = w.x + noise * N(0,1)",
        "  logistic     y = 1 if w.x > 0 else 0, flipped with probability noise",
        "  multiclass   y = argmax(W x), replaced by another class with probability noise",
        "  teacher-mlp  y = argmax of a random 1-hidden-layer tanh network, with the same",
        "               noise as multiclass"})
  Kind kind;

  @Option(names = "--format", paramLabel = "FORMAT", converter = FormatName.class,
      defaultValue = "libsvm", description = "libsvm (default): 'label idx:val ...' with "
        + "1-based indices; csv: 'label,x1,...,xD', label in the first column")
  Format format;

  @Option(names = "--rows", paramLabel = "N", converter = WholeNumber.class,
      defaultValue = "1000", description = "training rows (default 1000)")
  long rows;

  @Option(names = "--features", paramLabel = "D", converter = WholeNumber.class,
      defaultValue = "20", description = "feature dimension (default 20)")
  long features;

  @Option(names = "--classes", paramLabel = "K", converter = WholeNumber.class,
      defaultValue = "0", description = "classes for multiclass and teacher-mlp (default 10)")
  long classes;

  @Option(names = "--nnz", paramLabel = "M", converter = WholeNumber.class, description =
      "non-zeros per row: M distinct random columns, in ascending order (default: dense rows "
      + "with all D features)")
  Long nnz;

  @Option(names = "--noise", paramLabel = "F", converter = FiniteNumber.class,
      defaultValue = "0", description = "label noise: Gaussian standard deviation for linear, "
        + "flip probability in [0, 1] for the classification kinds (default 0)")
  double noise;

  @Option(names = "--seed", paramLabel = "S", converter = WholeNumber.class,
      defaultValue = "42", description = "random seed (default 42)")
  long seed;

  @Option(names = "--hidden", paramLabel = "H", converter = WholeNumber.class,
      defaultValue = "32", description = "hidden width of the teacher-mlp network (default 32)")
  long hidden;

  @Option(names = "--test-rows", paramLabel = "N", converter = WholeNumber.class,
      defaultValue = "0", description = "also write N test rows from the same ground truth to "
        + "PATH with '.test' before the extension: train.libsvm -> train.test.libsvm, train -> "
        + "train.test (default 0: none)")
  long testRows;

  @Option(names = "--header", description = "csv only: start with a header line 'label,f1,...,fD'")
  boolean header;

  /** The command, printing its summary to {@code out} and problems to {@code err}. */
  public GenerateCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs {@code sparkprop generate ARGS} with the JVM's streams and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs {@code sparkprop generate ARGS}: writes the dataset and prints a one-line summary to
   * {@code out}.
   *
   * @return {@link #OK}, {@link #FAILED} or {@link #USAGE} (message on {@code err})
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String[] all = new String[args.length + 1];
    all[0] = "generate";
    System.arraycopy(args, 0, all, 1, args.length);
    return org.sparkprop.driver.Main.run(all, out, err);
  }

  @Override
  public Integer call() {
    GenerateOptions opts;
    try {
      if (nnz != null && nnz < 1) {
        throw new IllegalArgumentException("--nnz must be at least 1, got " + nnz);
      }
      opts = GenerateOptions.builder().kind(kind).format(format).rows(rows)
          .features(toInt("--features", features)).classes(toInt("--classes", classes))
          .nnz(nnz == null ? 0 : toInt("--nnz", nnz)).noise(noise).seed(seed)
          .hidden(toInt("--hidden", hidden)).testRows(testRows).header(header).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      DatasetGenerator.Summary summary = DatasetGenerator.write(opts, path);
      out.println(summary.describe());
      out.flush();
      return OK;
    } catch (UncheckedIOException e) {
      err.println("sparkprop generate: " + e.getMessage());
      err.flush();
      return FAILED;
    }
  }

  private static int toInt(String name, long v) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " is too large: " + v);
    }
    return (int) v;
  }

  /** A whole number; '_' may group digits (1_000_000). */
  static final class WholeNumber implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Long.parseLong(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new TypeConversionException("needs a whole number, got '" + value + "'");
      }
    }
  }

  /** A finite number such as 0.1. */
  static final class FiniteNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double v = Double.parseDouble(value);
        if (Double.isFinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException("needs a number such as 0.1, got '" + value + "'");
    }
  }

  /** A ground-truth kind by its command-line name. */
  static final class KindName implements ITypeConverter<Kind> {
    @Override
    public Kind convert(String value) {
      try {
        return Kind.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A file format by its command-line name. */
  static final class FormatName implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A local file path (generate writes locally; copy the file to HDFS/S3 afterwards). */
  static final class LocalPath implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      if (value.isEmpty()) {
        throw new TypeConversionException("needs a file path");
      }
      if (value.contains("://")) {
        throw new TypeConversionException("must be a local file path, got '" + value
            + "' (generate locally, then copy the file, e.g. with hdfs dfs -put)");
      }
      try {
        Path p = Path.of(value);
        if (p.getFileName() == null) {
          throw new TypeConversionException("needs a file path, got '" + value + "'");
        }
        return p;
      } catch (InvalidPathException e) {
        throw new TypeConversionException("bad path '" + value + "': " + e.getReason());
      }
    }
  }
}
