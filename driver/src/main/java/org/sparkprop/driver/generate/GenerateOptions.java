package org.sparkprop.driver.generate;

import java.util.Locale;

/**
 * What {@link DatasetGenerator} writes: the kind of ground truth, the file format and the shape of
 * the data. Immutable and validated; build one with {@link #builder()}.
 *
 * @param kind the ground truth that produces labels
 * @param format the file format
 * @param rows number of training rows, at least 1
 * @param features feature dimension D, at least 1
 * @param classes number of classes: 2 for logistic, at least 2 for multiclass and teacher-mlp
 *     (default 10), 0 for linear
 * @param nnz non-zeros per row; 0 = dense rows (all D features), else 1..D distinct columns
 * @param noise label noise: Gaussian standard deviation for linear, flip probability in [0, 1]
 *     for the classification kinds
 * @param seed random seed; the same options give byte-identical files
 * @param hidden hidden width of the teacher-mlp network
 * @param testRows rows of the test file written next to the training file; 0 = none
 * @param header whether a CSV file starts with a header line ({@code label,f1,...,fD})
 */
public record GenerateOptions(
    Kind kind,
    Format format,
    long rows,
    int features,
    int classes,
    int nnz,
    double noise,
    long seed,
    int hidden,
    long testRows,
    boolean header) {

  /** Largest number of ground-truth weights ({@code features * classes} or {@code * hidden}). */
  public static final long MAX_WEIGHTS = 1L << 28;

  /** Default number of classes for multiclass and teacher-mlp. */
  public static final int DEFAULT_CLASSES = 10;

  /** The ground truth that produces the labels. */
  public enum Kind {
    /** Regression: {@code y = w.x + noise * N(0,1)}. */
    LINEAR,
    /** Binary: {@code y = 1{w.x > 0}}, flipped with probability noise. */
    LOGISTIC,
    /** K classes: {@code y = argmax(W x)}, replaced by another class with probability noise. */
    MULTICLASS,
    /** K classes: argmax of a random one-hidden-layer tanh network, with the same noise. */
    TEACHER_MLP;

    /** The name on the command line, e.g. {@code teacher-mlp}. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a command-line name such as {@code teacher-mlp} (any case, '_' for '-' too). */
    public static Kind parse(String name) {
      String normalized = name.toLowerCase(Locale.ROOT).replace('_', '-');
      for (Kind k : values()) {
        if (k.cliName().equals(normalized)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown kind '" + name + "'; choose linear, logistic, multiclass or teacher-mlp");
    }

    /** True for the kinds whose label is a class index. */
    public boolean isClassification() {
      return this != LINEAR;
    }
  }

  /** The file format. */
  public enum Format {
    /** {@code label idx:val ...} with 1-based indices. */
    LIBSVM,
    /** {@code label,x1,...,xD}: the label in the first column, then every feature. */
    CSV;

    /** The name on the command line. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name (any case). */
    public static Format parse(String name) {
      for (Format f : values()) {
        if (f.cliName().equals(name.toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown format '" + name + "'; choose libsvm or csv");
    }
  }

  /**
   * Validates the options and fills in the class count (0 means the kind's default).
   *
   * @throws IllegalArgumentException naming the option that is out of range
   */
  public GenerateOptions {
    if (kind == null || format == null) {
      throw new IllegalArgumentException("kind and format are required");
    }
    if (rows < 1) {
      throw new IllegalArgumentException("--rows must be at least 1, got " + rows);
    }
    if (features < 1) {
      throw new IllegalArgumentException("--features must be at least 1, got " + features);
    }
    switch (kind) {
      case LINEAR:
        if (classes != 0) {
          throw new IllegalArgumentException("--classes does not apply to kind linear");
        }
        break;
      case LOGISTIC:
        if (classes != 0 && classes != 2) {
          throw new IllegalArgumentException(
              "kind logistic has 2 classes; use multiclass for " + classes);
        }
        classes = 2;
        break;
      default:
        if (classes == 0) {
          classes = DEFAULT_CLASSES;
        }
        if (classes < 2 || classes > 65_536) {
          throw new IllegalArgumentException("--classes must be in 2..65536, got " + classes);
        }
    }
    if (nnz < 0 || nnz > features) {
      throw new IllegalArgumentException(
          "--nnz must be in 1.." + features + " (at most --features), got " + nnz);
    }
    if (!Double.isFinite(noise) || noise < 0) {
      throw new IllegalArgumentException("--noise must be a finite number >= 0, got " + noise);
    }
    if (kind.isClassification() && noise > 1) {
      throw new IllegalArgumentException(
          "--noise is a flip probability for kind " + kind.cliName() + ": must be in [0, 1], got "
              + noise);
    }
    if (hidden < 1) {
      throw new IllegalArgumentException("--hidden must be at least 1, got " + hidden);
    }
    if (testRows < 0) {
      throw new IllegalArgumentException("--test-rows must be >= 0, got " + testRows);
    }
    if (header && format != Format.CSV) {
      throw new IllegalArgumentException("--header applies to --format csv only");
    }
    long weights = (long) features * (kind == Kind.TEACHER_MLP ? hidden : Math.max(1, classes));
    if (kind == Kind.TEACHER_MLP) {
      weights = Math.max(weights, (long) hidden * classes);
    }
    if (weights > MAX_WEIGHTS) {
      throw new IllegalArgumentException(
          "the ground truth would need " + weights + " weights (more than " + MAX_WEIGHTS
              + "); lower --features, --classes or --hidden");
    }
  }

  /** True when rows are sparse ({@code nnz > 0}). */
  public boolean sparse() {
    return nnz > 0;
  }

  /** A builder with the defaults: logistic, libsvm, 1000 rows, 20 dense features, seed 42. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.kind = kind;
    b.format = format;
    b.rows = rows;
    b.features = features;
    b.classes = kind.isClassification() && kind != Kind.LOGISTIC ? classes : 0;
    b.nnz = nnz;
    b.noise = noise;
    b.seed = seed;
    b.hidden = hidden;
    b.testRows = testRows;
    b.header = header;
    return b;
  }

  /** Mutable builder for {@link GenerateOptions}; {@link #build()} validates. */
  public static final class Builder {
    /** Default kind. */
    public static final Kind DEFAULT_KIND = Kind.LOGISTIC;
    /** Default format. */
    public static final Format DEFAULT_FORMAT = Format.LIBSVM;
    /** Default number of rows. */
    public static final long DEFAULT_ROWS = 1000;
    /** Default feature dimension. */
    public static final int DEFAULT_FEATURES = 20;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;
    /** Default teacher-mlp hidden width. */
    public static final int DEFAULT_HIDDEN = 32;

    private Kind kind = DEFAULT_KIND;
    private Format format = DEFAULT_FORMAT;
    private long rows = DEFAULT_ROWS;
    private int features = DEFAULT_FEATURES;
    private int classes;
    private int nnz;
    private double noise;
    private long seed = DEFAULT_SEED;
    private int hidden = DEFAULT_HIDDEN;
    private long testRows;
    private boolean header;

    private Builder() {}

    /** Sets the ground-truth kind. */
    public Builder kind(Kind kind) {
      this.kind = kind;
      return this;
    }

    /** Sets the file format. */
    public Builder format(Format format) {
      this.format = format;
      return this;
    }

    /** Sets the number of training rows. */
    public Builder rows(long rows) {
      this.rows = rows;
      return this;
    }

    /** Sets the feature dimension. */
    public Builder features(int features) {
      this.features = features;
      return this;
    }

    /** Sets the number of classes (0 = the kind's default). */
    public Builder classes(int classes) {
      this.classes = classes;
      return this;
    }

    /** Sets the non-zeros per row (0 = dense). */
    public Builder nnz(int nnz) {
      this.nnz = nnz;
      return this;
    }

    /** Sets the label noise. */
    public Builder noise(double noise) {
      this.noise = noise;
      return this;
    }

    /** Sets the seed. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Sets the teacher-mlp hidden width. */
    public Builder hidden(int hidden) {
      this.hidden = hidden;
      return this;
    }

    /** Sets the number of test rows (0 = no test file). */
    public Builder testRows(long testRows) {
      this.testRows = testRows;
      return this;
    }

    /** Sets whether a CSV file gets a header line. */
    public Builder header(boolean header) {
      this.header = header;
      return this;
    }

    /** Validates and builds. */
    public GenerateOptions build() {
      return new GenerateOptions(
          kind, format, rows, features, classes, nnz, noise, seed, hidden, testRows, header);
    }
  }
}
