package org.sparkprop.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class CompilerPriorityTest {
  @Test
  void findsTheCompilerThreadsByTheirNamesOnly(@TempDir Path dir) throws Exception {
    thread(dir, "4711", "C2 CompilerThre");
    thread(dir, "12", "main");
    thread(dir, "4712", "C1 CompilerThre");
    thread(dir, "4713", "Executor task launch worker for task 0.0 in stage 3.0");
    thread(dir, "4714", "C3 CompilerThre");
    Files.createDirectories(dir.resolve("4715")); // a thread that ended: no comm any more
    assertEquals(List.of("4711", "4712"), CompilerPriority.compilerThreads(dir));
    assertEquals(List.of(), CompilerPriority.compilerThreads(dir.resolve("absent")));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void putsThisJvmsCompilerThreadsAtTheNiceValueAndLeavesTheOthers() throws Exception {
    assumeTrue(Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "renice"))), "renice is not on the PATH");
    List<String> compilers = CompilerPriority.compilerThreads(Path.of("/proc/self/task"));
    assertFalse(compilers.isEmpty(), "a HotSpot JVM with its JIT has compiler threads");
    String self = Long.toString(ProcessHandle.current().pid());
    int mainNice = CompilerPriority.nice(self);
    CompilerPriority.lower(17);
    for (String id : compilers) {
      assertEquals(17, CompilerPriority.nice(id), "compiler thread " + id);
    }
    assertEquals(mainNice, CompilerPriority.nice(self), "the main thread keeps its priority");
    CompilerPriority.lower(5); // only the first call per JVM has an effect
    for (String id : compilers) {
      assertEquals(17, CompilerPriority.nice(id), "compiler thread " + id);
    }
  }

  private static void thread(Path dir, String id, String name) throws Exception {
    Files.createDirectories(dir.resolve(id));
    Files.writeString(dir.resolve(id).resolve("comm"), name + "\n");
  }
}
