package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.DriverProcess;

/**
 * What a user sees on the console for bad input, in a driver JVM of its own run as bin/sparkprop
 * runs it: one line naming the file and the first bad line, no stack trace, the same every run.
 */
class ConsoleOutputTest {
  @TempDir Path dir;

  @Test
  void badInputIsOneLineTheSameInEveryRun() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 6000; i++) {
      b.append(i == 4500 ? "1 3:\u0000oops" : i == 5000 ? "x 1:1" : (i % 2) + " 1:0.5 2:1")
          .append('\n');
    }
    Path data = Files.writeString(dir.resolve("bad.libsvm"), b.toString());
    Path config = Files.writeString(dir.resolve("bad.conf"), "data { format = libsvm, train = \""
        + data + "\", partitions = 2 }\nmodel.type = logistic_regression\n");
    String expected = "sparkprop train: bad input: file:" + data
        + ":4500: bad feature value '\\x00oops' in token '3:\\x00oops' \u2014 fix or remove the line";
    for (int run = 0; run < 2; run++) {
      assertEquals(List.of(expected), train(config, "libsvm-" + run), "run " + run);
    }
  }

  /**
   * A CSV file with a UTF-8 byte order mark (skipped) and a bad number in each of its two
   * splits: the line reported is the first in file order, in both runs, whichever task fails
   * first.
   */
  @Test
  void aCsvErrorIsTheFirstBadLineInFileOrder() throws Exception {
    StringBuilder b = new StringBuilder("\uFEFF");
    for (int i = 1; i <= 6000; i++) {
      b.append(i == 2500 ? "1,abc,1" : i == 5500 ? "0,1,x" : (i % 2) + ",0.5,1").append('\n');
    }
    Path data = Files.writeString(dir.resolve("bad.csv"), b.toString());
    Path config = Files.writeString(dir.resolve("csv.conf"), "data { format = csv, train = \""
        + data + "\", partitions = 2 }\nmodel.type = logistic_regression\n");
    List<String> first = train(config, "csv-0");
    assertEquals(1, first.size(), String.join("\n", first));
    assertTrue(first.get(0).startsWith("sparkprop train: bad input: file:" + data + ":2500:")
        && first.get(0).contains("bad number 'abc' in column 1") && first.get(0).endsWith(
        "fix or remove the line"), first.get(0));
    assertEquals(first, train(config, "csv-1"), "the same line in a second run");
  }

  /** The console lines of a train run in a driver JVM of its own, which must exit 1. */
  private List<String> train(Path config, String name) throws Exception {
    Path log = dir.resolve(name + ".log");
    Process p = DriverProcess.start(log, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), List.of(),
        "train", "--config", config.toString(), "--run-dir", dir.resolve(name).toString());
    assertTrue(p.waitFor(3, TimeUnit.MINUTES));
    assertEquals(1, p.exitValue(), DriverProcess.read(log));
    return DriverProcess.read(log).lines().toList();
  }
}
