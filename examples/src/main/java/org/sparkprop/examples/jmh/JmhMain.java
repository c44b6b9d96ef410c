package org.sparkprop.examples.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.sparkprop.core.model.ParamLayout;

/**
 * Runs the JMH benchmarks of this package, then prints each score with its derived throughput
 * (GFLOP/s of the GEMMs, samples/s, GB/s).
 *
 * <pre>
 * SPARKPROP_MAIN=org.sparkprop.examples.jmh.JmhMain bin/sparkprop [regex...] [jmh options]
 * </pre>
 *
 * The arguments are JMH's own command line (regular expressions selecting benchmarks, {@code -f},
 * {@code -wi}, {@code -i}, {@code -prof stack}, {@code -rf json}, {@code -h} for the list, ...);
 * without a regex every benchmark runs. The forked benchmark JVMs inherit this JVM's class path,
 * its JVM options (heap, the {@code --add-opens} list of {@code bin/sparkprop}) unless {@code
 * -jvmArgs} replaces them, and its environment, including {@code OMP_NUM_THREADS} (1 from {@code
 * bin/sparkprop}: one native thread, as a training task runs).
 */
public final class JmhMain {
  private JmhMain() {}

  public static void main(String[] args) throws RunnerException, IOException {
    CommandLineOptions cmd;
    try {
      cmd = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      System.err.println("jmh: " + e.getMessage() + " (-h lists the options)");
      System.exit(2);
      return;
    }
    Runner runner = new Runner(cmd);
    if (cmd.shouldHelp()) {
      cmd.showHelp();
      return;
    }
    if (cmd.shouldList()) {
      runner.list();
      return;
    }
    if (cmd.shouldListWithParams()) {
      runner.listWithParams(cmd);
      return;
    }
    if (cmd.shouldListProfilers()) {
      cmd.listProfilers();
      return;
    }
    if (cmd.shouldListResultFormats()) {
      cmd.listResultFormats();
      return;
    }
    if (System.getenv("OMP_NUM_THREADS") == null) {
      System.err.println("jmh: OMP_NUM_THREADS is not set; the benchmarks use 1 native thread "
          + "but OpenBLAS may start more (run through bin/sparkprop, which sets it)");
    }
    Collection<RunResult> results = new Runner(new OptionsBuilder().parent(cmd).build()).run();
    printDerived(System.out, results);
  }

  /** One line per result: the score and what it means in throughput. */
  static void printDerived(PrintStream out, Collection<RunResult> results) {
    if (results.isEmpty()) {
      return;
    }
    out.println();
    out.println("Derived throughput (one thread, from the mean score):");
    out.println(String.format(Locale.ROOT, "  %-52s %24s  %s", "benchmark", "score", "derived"));
    for (RunResult r : results) {
      BenchmarkParams p = r.getParams();
      Result<?> primary = r.getPrimaryResult();
      String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.',
          p.getBenchmark().lastIndexOf('.') - 1) + 1);
      StringBuilder label = new StringBuilder(name);
      for (String key : p.getParamsKeys()) {
        label.append(' ').append(key).append('=').append(p.getParam(key));
      }
      String score = String.format(Locale.ROOT, "%.3f ± %.3f %s", primary.getScore(),
          primary.getScoreError(), primary.getScoreUnit());
      double seconds = secondsPerOp(p.getMode(), p.getTimeUnit(), primary.getScore());
      out.println(String.format(Locale.ROOT, "  %-52s %24s  %s", label, score,
          Double.isNaN(seconds) ? "" : derived(name, p, seconds)));
    }
  }

  /** Seconds per operation from a score, or NaN for modes whose score is not a time. */
  static double secondsPerOp(Mode mode, TimeUnit unit, double score) {
    double unitSeconds = unit.toNanos(1) / 1e9;
    switch (mode) {
      case AverageTime:
      case SampleTime:
      case SingleShotTime:
        return score * unitSeconds;
      case Throughput:
        return unitSeconds / score;
      default:
        return Double.NaN;
    }
  }

  /** The throughput a benchmark's time per operation stands for. */
  static String derived(String name, BenchmarkParams p, double s) {
    ParamLayout w1 = BenchData.w1Spec().layout();
    int n = PayloadMergeBench.N;
    switch (name) {
      case "DenseGradientBench.gradient":
      case "DenseGradientBench.gemmOnly": {
        int rows = Integer.parseInt(p.getParam("batch"));
        return gflops(DenseGradientBench.gradientFlops(w1, rows), s) + ", "
            + perSecond(rows, s, "samples/s");
      }
      case "DenseGradientBench.evaluate": {
        int rows = Integer.parseInt(p.getParam("batch"));
        return gflops(DenseGradientBench.forwardFlops(w1, rows), s) + ", "
            + perSecond(rows, s, "samples/s");
      }
      case "SparseGradientBench.logisticRegression":
        return perSecond(SparseGradientBench.ROWS, s, "samples/s") + ", "
            + gbps(4.0 * (SparseGradientBench.LOGREG_FEATURES + 1), s, "gradient written");
      case "SparseGradientBench.sparseMlp": {
        ParamLayout mlp = new ParamLayout(SparseGradientBench.MLP_FEATURES,
            SparseGradientBench.MLP_HIDDEN, 2);
        return perSecond(SparseGradientBench.ROWS, s, "samples/s") + ", "
            + gbps(4.0 * mlp.numParams(), s, "gradient written");
      }
      case "PayloadMergeBench.merge":
        return perSecond(n, s, "floats/s") + ", " + gbps(12.0 * n, s, "read 2, write 1");
      case "OptimizerBench.meanGradient":
        return perSecond(n, s, "params/s") + ", " + gbps(8.0 * n, s, "read 1, write 1");
      case "OptimizerBench.adamStep": // finite check + read p, g, m, v + write p, m, v
        return perSecond(n, s, "params/s") + ", " + gbps(32.0 * n, s, "8 passes of 4 B");
      case "OptimizerBench.sgdMomentumStep": // finite check + read p, g, b + write p, b
        return perSecond(n, s, "params/s") + ", " + gbps(24.0 * n, s, "6 passes of 4 B");
      case "GatherBench.gather":
      case "GatherBench.gatherIntoBuffer": {
        int rows = Integer.parseInt(p.getParam("batch"));
        return perSecond(rows, s, "rows/s") + ", "
            + gbps(4.0 * rows * (BenchData.MNIST_FEATURES + 1), s, "copied");
      }
      default:
        return "";
    }
  }

  private static String gflops(double flops, double seconds) {
    return String.format(Locale.ROOT, "%.1f GFLOP/s (GEMMs)", flops / seconds / 1e9);
  }

  private static String perSecond(double count, double seconds, String unit) {
    double rate = count / seconds;
    if (rate >= 1e9) {
      return String.format(Locale.ROOT, "%.2fG %s", rate / 1e9, unit);
    }
    if (rate >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM %s", rate / 1e6, unit);
    }
    return String.format(Locale.ROOT, "%,.0f %s", rate, unit);
  }

  private static String gbps(double bytes, double seconds, String what) {
    return String.format(Locale.ROOT, "%.2f GB/s %s", bytes / seconds / 1e9, what);
  }
}
