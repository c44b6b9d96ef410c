package org.sparkprop.driver.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Plain file operations on any Hadoop file system, with local paths ({@code file:} or no scheme)
 * written through java.nio so that no {@code .crc} side files appear. For files whose
 * completeness something else vouches for (a checkpoint's manifest); {@link AtomicFiles} replaces
 * a file in one step.
 */
public final class Storage {
  private Storage() {}

  /** True for {@code file:} paths and paths without a scheme. */
  public static boolean isLocal(Path p) {
    String scheme = p.toUri().getScheme();
    return scheme == null || "file".equals(scheme);
  }

  /** Creates or replaces {@code target} with {@code bytes} and syncs it to storage. */
  public static void write(Path target, Configuration conf, byte[] bytes) throws IOException {
    if (isLocal(target)) {
      java.nio.file.Path t = java.nio.file.Path.of(target.toUri().getPath());
      Files.createDirectories(t.toAbsolutePath().getParent());
      try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      return;
    }
    FileSystem fs = FileSystem.get(target.toUri(), conf);
    try (FSDataOutputStream out = fs.create(target, true)) {
      out.write(bytes);
      out.hsync();
    }
  }

  /**
   * Reads a whole file of at most {@code maxBytes} bytes.
   *
   * @throws FileNotFoundException if it does not exist
   * @throws FileFormatException naming the file if it is larger than {@code maxBytes}
   */
  public static byte[] read(Path p, Configuration conf, long maxBytes) throws IOException {
    FileSystem fs = FileSystem.get(p.toUri(), conf);
    long length = fs.getFileStatus(p).getLen();
    if (length > maxBytes || length > Integer.MAX_VALUE - 16) {
      throw new FileFormatException(p + ": " + length + " bytes, more than the " + maxBytes
          + " expected");
    }
    byte[] bytes = new byte[(int) length];
    try (InputStream in = fs.open(p)) {
      int read = in.readNBytes(bytes, 0, bytes.length);
      if (read != bytes.length || in.read() >= 0) {
        throw new IOException(p + ": changed size while being read");
      }
    }
    return bytes;
  }

  /** True when {@code p} exists. */
  public static boolean exists(Path p, Configuration conf) throws IOException {
    return FileSystem.get(p.toUri(), conf).exists(p);
  }

  /** True when {@code p} is a directory. */
  public static boolean isDirectory(Path p, Configuration conf) throws IOException {
    FileSystem fs = FileSystem.get(p.toUri(), conf);
    return fs.exists(p) && fs.getFileStatus(p).isDirectory();
  }

  /** The directories directly under {@code dir} (none when it does not exist). */
  public static List<Path> subdirectories(Path dir, Configuration conf) throws IOException {
    FileSystem fs = FileSystem.get(dir.toUri(), conf);
    List<Path> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isDirectory()) {
        out.add(s.getPath());
      }
    }
    return out;
  }

  /** Deletes {@code p} and everything under it; false if it did not exist. */
  public static boolean deleteRecursively(Path p, Configuration conf) throws IOException {
    return FileSystem.get(p.toUri(), conf).delete(p, true);
  }
}
