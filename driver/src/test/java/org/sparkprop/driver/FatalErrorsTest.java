package org.sparkprop.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A fatal error in any thread ends the driver with one line and exit status 4. */
class FatalErrorsTest {

  @Test
  void anOutOfMemoryErrorInAnotherThreadHaltsWithOneLine() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicInteger halted = new AtomicInteger(-1);
    Thread.UncaughtExceptionHandler saved = Thread.getDefaultUncaughtExceptionHandler();
    try {
      FatalErrors.install(new PrintStream(err, true, StandardCharsets.UTF_8), halted::set);
      Thread t = new Thread(() -> {
        throw new OutOfMemoryError("Java heap space");
      }, "dispatcher-CoarseGrainedScheduler");
      t.start();
      t.join();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(saved);
    }
    assertEquals(FatalErrors.EXIT_CODE, halted.get());
    String line = err.toString(StandardCharsets.UTF_8).trim();
    assertEquals("sparkprop: the driver ran out of memory (in thread "
        + "dispatcher-CoarseGrainedScheduler): Java heap space; raise its heap: spark-submit "
        + "--driver-memory 4g (or more), or SPARKPROP_DRIVER_MEMORY=8g bin/sparkprop", line);
  }

  @Test
  void otherExceptionsAreLeftToTheThreadsOwnHandling() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicInteger halted = new AtomicInteger(-1);
    Thread.UncaughtExceptionHandler saved = Thread.getDefaultUncaughtExceptionHandler();
    try {
      Thread.setDefaultUncaughtExceptionHandler(null);
      FatalErrors.install(new PrintStream(err, true, StandardCharsets.UTF_8), halted::set);
      Thread t = new Thread(() -> {
        throw new IllegalStateException("not fatal");
      }, "worker");
      t.start();
      t.join();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(saved);
    }
    assertEquals(-1, halted.get());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("not fatal"));
    assertFalse(err.toString(StandardCharsets.UTF_8).contains("sparkprop:"));
  }
}
