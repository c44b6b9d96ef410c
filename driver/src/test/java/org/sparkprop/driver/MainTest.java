package org.sparkprop.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line: help from the same definitions, version, usage errors with suggestions. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    assertEquals(0, run("--help"));
    for (String s : new String[] {"train", "generate", "completion", "0   done",
        "3   training diverged", "4   fatal JVM error"}) {
      assertTrue(out().contains(s), s + " in\n" + out());
    }
    assertEquals(0, run("train", "--help"));
    for (String s : new String[] {"--config", "--set", "--run-dir", "--master", "--resume",
        "--init-from", "--init-optimizer-state", "Exit status"}) {
      assertTrue(out().contains(s), s + " in\n" + out());
    }
    assertEquals(0, run("help", "generate"));
    assertTrue(out().contains("--test-rows"), out());
  }

  @Test
  void versionNamesTheBuildAndSpark() {
    assertEquals(0, run("--version"));
    assertTrue(out().startsWith("sparkprop " + Version.version() + "\n"), out());
    assertTrue(out().contains("Spark 3.5.7"), out());
    assertTrue(!Version.version().equals("unknown") && !Version.version().contains("$"));
  }

  @Test
  void usageErrorsExitTwoWithOneMessageAndASuggestion() {
    assertEquals(2, run("traim"));
    assertTrue(err().contains("Did you mean train"), err());
    assertEquals(2, run("train", "--confg", "x.conf"));
    assertTrue(err().startsWith("sparkprop train: Unknown options: '--confg'"), err());
    assertTrue(err().contains("Did you mean --config?"), err());
    assertTrue(err().contains("Run 'sparkprop train --help' for the options."), err());
    assertEquals(2, run("train"));
    assertTrue(err().contains("--config FILE is required (or --resume RUN_DIR)"), err());
    assertEquals(2, run("train", "--resume", "r", "--run-dir", "d"));
    assertTrue(err().contains("it takes no --run-dir"), err());
    assertEquals(2, run("train", "--config", "c", "--init-optimizer-state"));
    assertTrue(err().contains("--init-optimizer-state needs --init-from"), err());
    assertEquals(2, run());
    assertTrue(err().contains("Usage: sparkprop"), err());
  }

  @Test
  void aCompletionScriptCoversTheCommands() {
    assertEquals(0, run("completion"));
    assertTrue(out().contains("complete -F") && out().contains("--init-from"), out());
  }
}
