package org.sparkprop.driver.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Replaces a file's contents so that a reader sees the old file or the new one, never a part:
 * write a temporary sibling, then rename it over the target. An existing target is first moved
 * aside and only deleted once the new file is in place.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, Configuration conf, byte[] bytes) throws IOException {
    FileSystem fs = FileSystem.get(target.toUri(), conf);
    Path dir = target.getParent();
    if (dir != null) {
      fs.mkdirs(dir);
    }
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path tmp = new Path(dir, "." + target.getName() + ".tmp-" + tag);
    try (OutputStream out = fs.create(tmp, false)) {
      out.write(bytes);
    }
    Path aside = null;
    if (fs.exists(target)) {
      aside = new Path(dir, "." + target.getName() + ".old-" + tag);
      if (!fs.rename(target, aside)) {
        fs.delete(tmp, false);
        throw new IOException("cannot move " + target + " aside to replace it");
      }
    }
    if (!fs.rename(tmp, target)) {
      if (aside != null) {
        fs.rename(aside, target);
      }
      fs.delete(tmp, false);
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
    if (aside != null) {
      fs.delete(aside, false);
    }
  }
}
