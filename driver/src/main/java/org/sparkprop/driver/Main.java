package org.sparkprop.driver;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sparkprop.driver.cli.TrainCli;
import org.sparkprop.driver.generate.GenerateCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of {@code bin/sparkprop} and of spark-submit: the commands, with picocli. */
@Command(name = "sparkprop", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    versionProvider = Version.class,
    description = {
      "sparkprop trains neural networks and linear models data-parallel on Apache Spark.", ""},
    commandListHeading = "%nCommands:%n",
    footer = {"",
      "Locally: bin/sparkprop COMMAND ...; on a cluster: spark-submit --class",
      "org.sparkprop.driver.Main driver/target/sparkprop-driver-*-app.jar COMMAND ...",
      "(see README.md). 'sparkprop COMMAND --help' describes a command's options."},
    exitCodeListHeading = "%nExit status (every command):%n",
    exitCodeList = {
      "0:done",
      "1:bad input data or config, a refused resume or start, an I/O error",
      "2:bad usage (an unknown option, a missing value)",
      "3:training diverged (NaN/Inf loss or gradient; no model written)",
      "4:fatal JVM error, e.g. out of memory (the message says what to raise)"})
public final class Main implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Main() {}

  public static void main(String[] args) {
    FatalErrors.install();
    int status;
    try {
      status = run(args, System.out, System.err);
    } catch (OutOfMemoryError e) {
      System.err.println(FatalErrors.message(Thread.currentThread(), e));
      status = ExitCodes.FATAL;
    }
    System.exit(status);
  }

  /** Runs {@code sparkprop ARGS} with the JVM's streams; returns the exit code. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  /** Runs {@code sparkprop ARGS}; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return commandLine(out, err).execute(args);
  }

  /** The command line with every command; usage errors are one message and exit 2. */
  public static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main())
        .addSubcommand("train", new TrainCli(out, err))
        .addSubcommand("evaluate", new org.sparkprop.driver.cli.EvaluateCli(out, err))
        .addSubcommand("predict", new org.sparkprop.driver.cli.PredictCli(out, err))
        .addSubcommand("export", new org.sparkprop.driver.cli.ExportCli(out, err))
        .addSubcommand("report", new org.sparkprop.driver.cli.ReportCli(out, err))
        .addSubcommand("playground", new org.sparkprop.driver.cli.PlaygroundCli(out, err))
        .addSubcommand("generate", new GenerateCommand(out, err))
        .addSubcommand("completion", new AutoComplete.GenerateCompletion())
        .addSubcommand("help", new CommandLine.HelpCommand());
    cl.getSubcommands().get("completion").getCommandSpec().usageMessage()
        .header("Print a bash/zsh completion script: source <(sparkprop completion)");
    return configured(cl, out, err);
  }

  /**
   * {@code cl} printing to {@code out} and {@code err}, with usage errors as one message and
   * exit 2 (also for one command run alone, as tests do).
   */
  public static CommandLine configured(CommandLine cl, PrintStream out, PrintStream err) {
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      throw e; // a bug: keep its stack trace
    });
    return cl;
  }

  /**
   * One line naming the command and the problem, picocli's suggestions for a mistyped option
   * or command, and where the help is.
   */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    if (e instanceof UnmatchedArgumentException) {
      List<String> suggestions = ((UnmatchedArgumentException) e).getSuggestions();
      if (!suggestions.isEmpty()) {
        err.println("Did you mean " + String.join(" or ", suggestions) + "?");
      }
    }
    err.println("Run '" + name + " --help' for the options.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** {@code sparkprop} alone: the help on the error stream, and exit 2 (a command is needed). */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
