package org.sparkprop.driver;

import java.util.Arrays;
import org.sparkprop.driver.cli.TrainCommand;
import org.sparkprop.driver.generate.GenerateCommand;

/** Entry point of {@code bin/sparkprop} and of spark-submit: dispatches to a command. */
public final class Main {
  static final String HELP = String.join(System.lineSeparator(),
      "usage: sparkprop <command> [options]",
      "",
      "sparkprop trains neural networks and linear models data-parallel on Apache Spark.",
      "",
      "commands:",
      "  train      train a model from a HOCON config (sparkprop train --help)",
      "  generate   write a seeded synthetic LIBSVM/CSV data set (sparkprop generate --help)",
      "  help       this text",
      "",
      "Run locally with bin/sparkprop; on a cluster: spark-submit --class org.sparkprop.driver.Main",
      "driver/target/sparkprop-driver-*-app.jar train --config my.conf (see README.md).");

  private Main() {}

  public static void main(String[] args) {
    FatalErrors.install();
    int status;
    try {
      status = run(args);
    } catch (OutOfMemoryError e) {
      System.err.println(FatalErrors.message(Thread.currentThread(), e));
      status = FatalErrors.EXIT_CODE;
    }
    System.exit(status);
  }

  /** Runs a command and returns its exit code. */
  public static int run(String[] args) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")
        || args[0].equals("-h")) {
      System.out.println(HELP);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "train":
        return TrainCommand.run(rest, System.out, System.err);
      case "generate":
        return GenerateCommand.run(rest, System.out, System.err);
      default:
        System.err.println("sparkprop: unknown command '" + args[0] + "'\n\n" + HELP);
        return 2;
    }
  }
}
