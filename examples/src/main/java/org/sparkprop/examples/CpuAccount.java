package org.sparkprop.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.sparkprop.core.runtime.CompilerPriority;

/**
 * Where a local-mode run's CPU went between two snapshots of its one JVM, from Linux's per-thread
 * counters ({@code /proc/self/task/<tid>/stat}, 10 ms ticks): Spark's task threads (the
 * gradients and the tasks' own (de)serialization), HotSpot's JIT compiler threads, its garbage
 * collector threads, and the rest (the driver's step, Spark's scheduler, RPC and listener
 * threads). Threads are told apart by name; without {@code /proc} every figure is NaN.
 */
final class CpuAccount {
  enum Group { TASKS, JIT, GC, REST }

  private final Map<String, long[]> ticks; // tid -> {group ordinal, ticks}
  private final long wallNanos;

  private CpuAccount(Map<String, long[]> ticks) {
    this.ticks = ticks;
    this.wallNanos = System.nanoTime();
  }

  static CpuAccount now() {
    Map<String, long[]> t = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(dir -> read(dir, t));
    } catch (IOException | RuntimeException e) {
      return new CpuAccount(null);
    }
    return new CpuAccount(t);
  }

  private static void read(Path dir, Map<String, long[]> into) {
    try {
      String name = Files.readString(dir.resolve("comm")).trim();
      String stat = Files.readString(dir.resolve("stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long used = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
      into.put(dir.getFileName().toString(), new long[] {groupOf(name).ordinal(), used});
    } catch (IOException | RuntimeException e) {
      // the thread ended between the listing and the read
    }
  }

  static Group groupOf(String threadName) {
    if (threadName.startsWith("Executor task")) { // Linux keeps 15 characters of the name
      return Group.TASKS;
    }
    if (CompilerPriority.isCompilerThread(threadName)) {
      return Group.JIT;
    }
    if (threadName.startsWith("GC Thread") || threadName.equals("VM Thread")) {
      return Group.GC;
    }
    return Group.REST;
  }

  /** CPU seconds per group between {@code this} and {@code later}, and the wall seconds. */
  Spent until(CpuAccount later) {
    double[] s = new double[Group.values().length];
    if (ticks == null || later.ticks == null) {
      java.util.Arrays.fill(s, Double.NaN);
    } else {
      for (Map.Entry<String, long[]> e : later.ticks.entrySet()) {
        long[] before = ticks.get(e.getKey());
        long delta = e.getValue()[1] - (before == null ? 0 : before[1]);
        s[(int) e.getValue()[0]] += delta / 100.0; // USER_HZ: 100 on Linux
      }
    }
    return new Spent(s[0], s[1], s[2], s[3], (later.wallNanos - wallNanos) / 1e9);
  }

  record Spent(double tasks, double jit, double gc, double rest, double wall) {
    double process() {
      return tasks + jit + gc + rest;
    }
  }
}
