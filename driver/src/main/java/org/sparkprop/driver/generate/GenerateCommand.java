package org.sparkprop.driver.generate;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.sparkprop.driver.generate.GenerateOptions.Format;
import org.sparkprop.driver.generate.GenerateOptions.Kind;

/**
 * The {@code generate} command: parses {@code --option value} arguments (or {@code
 * --option=value}) into {@link GenerateOptions} and runs {@link DatasetGenerator}.
 */
public final class GenerateCommand {
  /** Exit code: done. */
  public static final int OK = 0;
  /** Exit code: writing failed. */
  public static final int FAILED = 1;
  /** Exit code: bad arguments. */
  public static final int USAGE = 2;

  private static final String HELP =
      String.join(
          "\n",
          "Usage: generate --out PATH [options]",
          "",
          "Writes a synthetic dataset with a known ground truth, as LIBSVM or CSV text.",
          "The same options and seed always give byte-identical files.",
          "",
          "Options:",
          "  --out PATH         output file (required; a local path). Parent directories are",
          "                     created; the file is written to PATH.tmp and renamed when done.",
          "  --kind KIND        ground truth (default logistic):",
          "                       linear       y = w.x + noise * N(0,1)",
          "                       logistic     y = 1 if w.x > 0 else 0, flipped with",
          "                                    probability noise",
          "                       multiclass   y = argmax(W x), replaced by another class with",
          "                                    probability noise",
          "                       teacher-mlp  y = argmax of a random 1-hidden-layer tanh network,",
          "                                    with the same noise as multiclass",
          "  --format FORMAT    libsvm (default): 'label idx:val ...' with 1-based indices;",
          "                     csv: 'label,x1,...,xD', label in the first column",
          "  --rows N           training rows (default 1000)",
          "  --features D       feature dimension (default 20)",
          "  --classes K        classes for multiclass and teacher-mlp (default 10)",
          "  --nnz M            non-zeros per row: M distinct random columns, in ascending order",
          "                     (default: dense rows with all D features)",
          "  --noise F          label noise: Gaussian standard deviation for linear, flip",
          "                     probability in [0, 1] for the classification kinds (default 0)",
          "  --seed S           random seed (default 42)",
          "  --hidden H         hidden width of the teacher-mlp network (default 32)",
          "  --test-rows N      also write N test rows from the same ground truth to PATH with",
          "                     '.test' before the extension: train.libsvm -> train.test.libsvm,",
          "                     train -> train.test (default 0: no test file)",
          "  --header           csv only: start with a header line 'label,f1,...,fD'",
          "  --help             print this help",
          "",
          "Features are N(0,1) with 6 significant digits. Labels are computed from the values",
          "as written, so a model of the right kind can reach about (1 - noise) accuracy.",
          "Exit codes: 0 done, 1 writing failed, 2 bad arguments.",
          "");

  private GenerateCommand() {}

  /** Runs the command with the JVM's streams and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The help text. */
  public static String help() {
    return HELP;
  }

  /**
   * Parses the arguments, writes the dataset and prints a one-line summary to {@code out}.
   *
   * @return {@link #OK}, {@link #FAILED} (message on {@code err}) or {@link #USAGE} (message on
   *     {@code err})
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        out.print(HELP);
        out.flush();
        return OK;
      }
    }
    GenerateOptions opts;
    Path path;
    try {
      GenerateOptions.Builder builder = GenerateOptions.builder();
      path = parse(args, builder);
      opts = builder.build();
    } catch (IllegalArgumentException e) {
      err.println("generate: " + e.getMessage());
      err.println("Run 'generate --help' for the options.");
      err.flush();
      return USAGE;
    }
    try {
      DatasetGenerator.Summary summary = DatasetGenerator.write(opts, path);
      out.println(summary.describe());
      out.flush();
      return OK;
    } catch (UncheckedIOException e) {
      err.println("generate: " + e.getMessage());
      err.flush();
      return FAILED;
    }
  }

  /** Fills the builder from the arguments; returns the --out path. */
  private static Path parse(String[] args, GenerateOptions.Builder b) {
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--header")) {
        b.header(value == null || parseBoolean(name, value));
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--out":
          out = parsePath(value);
          break;
        case "--kind":
          b.kind(Kind.parse(value));
          break;
        case "--format":
          b.format(Format.parse(value));
          break;
        case "--rows":
          b.rows(parseLong(name, value));
          break;
        case "--features":
          b.features(parseInt(name, value));
          break;
        case "--classes":
          b.classes(parseInt(name, value));
          break;
        case "--nnz":
          int nnz = parseInt(name, value);
          if (nnz < 1) {
            throw new IllegalArgumentException("--nnz must be at least 1, got " + nnz);
          }
          b.nnz(nnz);
          break;
        case "--noise":
          b.noise(parseDouble(name, value));
          break;
        case "--seed":
          b.seed(parseLong(name, value));
          break;
        case "--hidden":
          b.hidden(parseInt(name, value));
          break;
        case "--test-rows":
          b.testRows(parseLong(name, value));
          break;
        default:
          throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out PATH is required");
    }
    return out;
  }

  private static Path parsePath(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("--out needs a file path");
    }
    if (value.contains("://")) {
      throw new IllegalArgumentException(
          "--out must be a local file path, got '" + value + "' (generate locally, then copy the"
              + " file, e.g. with hdfs dfs -put)");
    }
    try {
      Path path = Path.of(value);
      if (path.getFileName() == null) {
        throw new IllegalArgumentException("--out needs a file path, got '" + value + "'");
      }
      return path;
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("--out: bad path '" + value + "': " + e.getReason());
    }
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
    }
  }

  private static int parseInt(String name, String value) {
    long v = parseLong(name, value);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " is too large: " + value);
    }
    return (int) v;
  }

  private static double parseDouble(String name, String value) {
    try {
      double v = Double.parseDouble(value);
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number such as 0.1, got '" + value + "'");
    }
  }

  private static boolean parseBoolean(String name, String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException(name + " takes true or false, got '" + value + "'");
    }
  }
}
