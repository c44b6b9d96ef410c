package org.sparkprop.driver;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sparkprop driver in a JVM of its own, started the way bin/sparkprop starts one (the test
 * JVM's class path and --add-opens flags, one native thread), its output going to a log file.
 */
public final class DriverProcess {
  private DriverProcess() {}

  /** Starts {@code sparkprop ARGS} with extra environment variables and JVM options. */
  public static Process start(Path log, Map<String, String> env, List<String> jvmOptions,
      String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-XX:+UseParallelGC", "-Dlog4j2.configurationFile="
            + Path.of("..", "conf", "log4j2.properties").toAbsolutePath()));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")) {
        cmd.add(a);
      }
    }
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "org.sparkprop.driver.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().remove("SPARK_LOCAL_IP");
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Starts {@code sparkprop ARGS}. */
  public static Process start(Path log, String... args) throws IOException {
    return start(log, Map.of(), List.of(), args);
  }

  /** The log's text (or the error reading it). */
  public static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
