package org.sparkprop.driver.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Replaces a file's contents so that a reader sees the old file or the new one, never a part of
 * one and never no file: the bytes go to a temporary sibling, are synced to storage, and the
 * sibling is renamed over the target in one atomic step.
 *
 * <ul>
 *   <li>Local files ({@code file:} or no scheme): {@code rename(2)} through
 *       {@link Files#move} with {@code ATOMIC_MOVE}, after {@code fsync}.
 *   <li>HDFS and other file systems with an atomic overwriting rename: Hadoop's
 *       {@link FileContext#rename} with {@code OVERWRITE}, after {@code hsync}.
 *   <li>Object stores without atomic rename (s3a): the same call; the store decides. A
 *       half-written object is never visible there, since objects appear on close.
 * </ul>
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, Configuration conf, byte[] bytes) throws IOException {
    String scheme = target.toUri().getScheme();
    if (scheme == null || "file".equals(scheme)) {
      writeLocal(java.nio.file.Path.of(target.toUri().getPath()), bytes);
      return;
    }
    FileSystem fs = FileSystem.get(target.toUri(), conf);
    Path dir = target.getParent();
    fs.mkdirs(dir);
    Path tmp = new Path(dir, "." + target.getName() + ".tmp-" + tag());
    try (FSDataOutputStream out = fs.create(tmp, false)) {
      out.write(bytes);
      out.hsync();
    }
    try {
      FileContext.getFileContext(target.toUri(), conf).rename(tmp, target,
          Options.Rename.OVERWRITE);
    } catch (IOException e) {
      fs.delete(tmp, false);
      throw new IOException("cannot replace " + target + ": " + e.getMessage(), e);
    }
  }

  private static void writeLocal(java.nio.file.Path target, byte[] bytes) throws IOException {
    java.nio.file.Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    java.nio.file.Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + tag());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String tag() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
