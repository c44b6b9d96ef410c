package org.sparkprop.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.io.AtomicFiles;
import org.sparkprop.driver.playground.Contestant;
import org.sparkprop.driver.playground.Playground;
import org.sparkprop.driver.playground.PlaygroundCharts;
import org.sparkprop.driver.playground.TestFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparkprop playground}: every optimizer on 2-D test functions, as pictures. */
@Command(name = "playground", header = "The optimizers as pictures: paths on 2-D test functions",
    sortOptions = false, usageHelpAutoWidth = true, usageHelpWidth = 100,
    mixinStandardHelpOptions = true,
    versionProvider = org.sparkprop.driver.Version.class,
    description = {
      "Runs every optimizer sparkprop ships (sgd, momentum, nesterov, adagrad, rmsprop, adam,",
      "adamw, the four rprops, sign, signum), with the classes training uses, on Rosenbrock,",
      "Beale, a saddle (x^2 - y^2), an ill-conditioned ravine and the ravine with noisy",
      "gradients. Writes per function FUNCTION-paths.png (the paths over the contours) and",
      "FUNCTION-values.png (the value per step), and playground.md: steps to the target and",
      "final value of every optimizer on every function. Needs no Spark.",
      "",
      "  sparkprop playground --out playground/",
      ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:written", "1:an I/O error", "2:bad usage"})
public final class PlaygroundCli implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "the directory to write (any Hadoop path)")
  String target;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "3000",
      description = "steps of every optimizer on every function (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
      description = "seed of the noisy function's gradient noise (default: ${DEFAULT-VALUE})")
  long seed;

  public PlaygroundCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    try {
      if (steps < 1) {
        throw new UserError(ExitCodes.USAGE, "--steps " + steps + ": must be at least 1");
      }
      Path dir = TrainCommand.path(target, "--out");
      Configuration conf = new Configuration();
      List<Playground.Run> all = new ArrayList<>();
      try {
        for (TestFunction f : TestFunction.values()) {
          List<Playground.Run> runs = Playground.run(f, Contestant.all(), steps, seed);
          all.addAll(runs);
          AtomicFiles.write(new Path(dir, f.displayName() + "-paths.png"), conf,
              PlaygroundCharts.contour(f, runs));
          AtomicFiles.write(new Path(dir, f.displayName() + "-values.png"), conf,
              PlaygroundCharts.values(f, runs));
        }
        String table = org.sparkprop.driver.playground.Playground.table(all, steps);
        AtomicFiles.write(new Path(dir, "playground.md"), conf,
            table.getBytes(StandardCharsets.UTF_8));
        out.print(table);
        out.println("sparkprop playground: " + (2 * TestFunction.values().length + 1)
            + " files in " + dir);
      } catch (IOException e) {
        throw new UserError(ExitCodes.FAILED, "cannot write " + target + ": " + e.getMessage());
      }
      return ExitCodes.OK;
    } catch (UserError e) {
      err.println("sparkprop playground: " + e.getMessage());
      return e.exitCode();
    }
  }
}
