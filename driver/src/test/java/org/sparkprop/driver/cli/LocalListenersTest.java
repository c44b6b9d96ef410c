package org.sparkprop.driver.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.DriverProcess;
import org.sparkprop.driver.TestFiles;

/**
 * A local run listens on the loopback address only: the sockets a training driver JVM listens
 * on, read from /proc while it trains (its file descriptors' socket inodes, matched in
 * /proc/PID/net/tcp and tcp6).
 */
class LocalListenersTest {
  @TempDir static Path dir;
  static Path config;

  @BeforeAll
  static void data() throws IOException {
    Path data = TestFiles.generate(dir.resolve("t.csv"), "--kind", "teacher-mlp", "--format",
        "csv", "--rows", "4000", "--features", "16", "--classes", "3", "--hidden", "8",
        "--seed", "5");
    config = Files.writeString(dir.resolve("t.conf"), "data { format = csv, train = \"" + data
        + "\", partitions = 2 }\nmodel { type = mlp, hidden = [64], outputs = 3 }\n"
        + "train { epochs = 50, batch_size = 32, log_every = 1 }\n");
  }

  /** The local addresses ("127.0.0.1:41234") of the TCP sockets {@code pid} listens on. */
  static List<String> listening(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException gone) {
          // closed meanwhile
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
          out.add(address(f[1]));
        }
      }
    }
    return out;
  }

  /** "0100007F:A0C2" (little-endian IPv4) or a 32-digit IPv6 as "127.0.0.1:41154". */
  static String address(String hex) {
    String[] parts = hex.split(":");
    int port = Integer.parseInt(parts[1], 16);
    String ip = parts[0];
    if (ip.length() == 8) {
      long v = Long.parseLong(ip, 16);
      return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff)
          + ":" + port;
    }
    if (ip.equals("00000000000000000000000001000000")) {
      return "[::1]:" + port;
    }
    if (ip.equals("0000000000000000FFFF00000100007F")) {
      return "[::ffff:127.0.0.1]:" + port;
    }
    return "[" + ip + "]:" + port;
  }

  private static boolean loopback(String address) {
    return address.startsWith("127.") || address.startsWith("[::1]")
        || address.startsWith("[::ffff:127.");
  }

  /** Starts a run, waits until it trains, and returns what it listens on. */
  private static List<String> whileTraining(String name, Map<String, String> env,
      List<String> jvm) throws Exception {
    Path log = dir.resolve(name + ".log");
    Path runDir = dir.resolve(name);
    Process p = DriverProcess.start(log, env, jvm, "train", "--config", config.toString(),
        "--run-dir", runDir.toString());
    try {
      Path metrics = runDir.resolve("metrics.jsonl");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (p.isAlive() && (!Files.exists(metrics) || Files.size(metrics) < 500)) {
        assertTrue(System.nanoTime() < deadline, "no training after 3 minutes");
        Thread.sleep(50);
      }
      assertTrue(p.isAlive(), DriverProcess.read(log));
      return listening(p.pid());
    } finally {
      p.destroyForcibly();
      p.waitFor(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void aLocalRunListensOnTheLoopbackAddressOnly() throws Exception {
    List<String> addresses = whileTraining("plain", Map.of(), List.of());
    assertFalse(addresses.isEmpty(), "the driver's RPC and block manager listen somewhere");
    for (String a : addresses) {
      assertTrue(loopback(a), "listens beyond this machine: " + a + " of " + addresses);
    }
    assertFalse(addresses.stream().anyMatch(a -> a.endsWith(":4040")), "no web UI by default: "
        + addresses);
  }

  @Test
  void theWebUiOpensOnPurposeOnTheLoopbackAddress() throws Exception {
    // As bin/sparkprop runs it: SPARK_LOCAL_IP=127.0.0.1, the UI asked for.
    List<String> addresses = whileTraining("ui", Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
        List.of("-Dspark.ui.enabled=true", "-Dspark.ui.port=0"));
    assertTrue(addresses.size() >= 3, "RPC, block manager and the UI: " + addresses);
    for (String a : addresses) {
      assertTrue(loopback(a), "listens beyond this machine: " + a + " of " + addresses);
    }
  }
}
