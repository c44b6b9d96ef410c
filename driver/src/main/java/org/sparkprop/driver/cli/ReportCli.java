package org.sparkprop.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sparkprop report}: a run's (or several runs') charts and report.html. */
@Command(name = "report", header = "Plot runs: PNG charts and a one-page report.html",
    sortOptions = false, usageHelpAutoWidth = true, usageHelpWidth = 100,
    mixinStandardHelpOptions = true,
    versionProvider = org.sparkprop.driver.Version.class,
    description = {
      "Draws from each run directory's metrics.jsonl: loss.png (the mean loss of every logged",
      "window and its moving average), accuracy.png or rmse.png (per epoch), lr.png, bytes.png",
      "(up and down per step) and step_time.png (broadcast, Spark job, slowest compute,",
      "optimizer, whole step), and report.html (the charts, the summaries side by side and the",
      "configs; it opens from anywhere, no server). Several runs are overlaid on the same axes.",
      "train writes the same files into its run directory at the end of a run.",
      "",
      "  sparkprop report RUN_DIR                       (into RUN_DIR)",
      "  sparkprop report RUN_A RUN_B ... [--out DIR]   (default: report-<yyyyMMdd-HHmmss>)",
      ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:written", "1:not a run directory, an I/O error", "2:bad usage"})
public final class ReportCli implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Parameters(paramLabel = "RUN_DIR", arity = "1..*",
      description = "run directories (any Hadoop path)")
  List<String> runs = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR",
      description = "where the files go (default: the run directory for one run, else "
        + "report-<yyyyMMdd-HHmmss>)")
  String target;

  public ReportCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    try {
      Configuration conf = new Configuration();
      List<Report.Run> list = new ArrayList<>();
      for (String r : runs) {
        Path p = TrainCommand.path(r, "RUN_DIR");
        list.add(new Report.Run(p.getName(), p));
      }
      Path dir = target != null ? TrainCommand.path(target, "--out") : list.size() == 1
          ? list.get(0).dir() : new Path("report-" + java.time.LocalDateTime.now().format(
              java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      try {
        List<Path> written = Report.write(list, dir, conf);
        out.println("sparkprop report: " + written.size() + " files in " + dir + ": "
            + String.join(", ", written.stream().map(Path::getName).toList()));
      } catch (IOException e) {
        throw new UserError(ExitCodes.FAILED, e.getMessage());
      }
      return ExitCodes.OK;
    } catch (UserError e) {
      err.println("sparkprop report: " + e.getMessage());
      return e.exitCode();
    }
  }
}
