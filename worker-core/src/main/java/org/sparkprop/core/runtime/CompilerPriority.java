package org.sparkprop.core.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this JVM's JIT compiler threads at a lower CPU priority (a higher nice value) than the
 * threads that train. On a machine where the task threads take every core, the compiler threads
 * otherwise take their share of the cores from the tasks in the middle of a step; at a lower
 * priority they compile in the gaps (the driver's part of a step, while the tasks wait). Compiled
 * code is the same either way, so results do not change, only when the compilations finish.
 *
 * <p>Linux only (thread ids from {@code /proc/self/task}, set with {@code renice}, which any
 * user may do to raise a nice value); elsewhere, or without {@code renice}, nothing changes and
 * one debug line says why. Only the first call per JVM has an effect.
 */
public final class CompilerPriority {
  private static final Logger LOG = LoggerFactory.getLogger(CompilerPriority.class);
  private static volatile boolean done;

  private CompilerPriority() {}

  /** Sets the compiler threads' nice value to {@code nice} (1..19), once; 0 leaves them be. */
  public static void lower(int nice) {
    if (done) {
      return;
    }
    synchronized (CompilerPriority.class) {
      if (done) {
        return;
      }
      done = true;
      if (nice <= 0) {
        return;
      }
      try {
        List<String> ids = compilerThreads(Path.of("/proc/self/task"));
        if (ids.isEmpty()) {
          LOG.debug("JIT compiler priority unchanged: no compiler threads in /proc/self/task");
          return;
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n",
            Integer.toString(Math.min(nice, 19)), "-p"));
        command.addAll(ids);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          LOG.debug("JIT compiler priority unchanged: renice did not finish in 5 s");
        } else if (p.exitValue() != 0) {
          LOG.debug("JIT compiler priority unchanged: renice exited {}", p.exitValue());
        } else {
          LOG.info("JIT compiler threads {} at nice {}", ids, nice);
        }
      } catch (IOException e) {
        LOG.debug("JIT compiler priority unchanged: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Whether {@code threadName} (a thread's {@code comm}, which Linux cuts to 15 characters) is a
   * HotSpot JIT compiler thread's: "C1 CompilerThre", "C2 CompilerThre".
   */
  public static boolean isCompilerThread(String threadName) {
    return threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler");
  }

  /** The ids of the compiler threads under {@code taskDir} (a {@code /proc/PID/task}). */
  static List<String> compilerThreads(Path taskDir) throws IOException {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(taskDir)) {
      return ids;
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
      for (Path t : tasks) {
        String name;
        try {
          name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim();
        } catch (IOException gone) { // the thread ended since the listing
          continue;
        }
        if (isCompilerThread(name)) {
          ids.add(t.getFileName().toString());
        }
      }
    }
    ids.sort(null);
    return ids;
  }

  /** The nice value of thread {@code id} of this JVM, from its {@code stat} (for tests). */
  static int nice(String id) throws IOException {
    String stat = Files.readString(Path.of("/proc/self/task", id, "stat"),
        StandardCharsets.UTF_8);
    // Fields after the name (which may hold spaces) start at ')'; nice is field 19 of stat.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Integer.parseInt(f[16]);
  }
}
