package org.sparkprop.driver.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkprop.core.exchange.sign.PartitionSnapshot;
import org.sparkprop.driver.io.ArrayFile;
import org.sparkprop.driver.io.FileFormatException;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.Storage;

/**
 * Reads checkpoints back, trusting nothing a manifest does not vouch for: {@link #open} reads
 * the manifest, then every file it lists, checking each one's size and CRC-32C, before anything
 * is decoded. Every file is plain data (JSON, or a framed float32 array with its own checksum);
 * nothing is ever Java-deserialized.
 */
public final class CheckpointReader {
  /** Upper bound on the size of the small JSON and text files of a checkpoint. */
  private static final long MAX_SMALL_FILE = 64L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointReader() {}

  /** Decodes what a caller needs from a verified checkpoint; may refuse it with an IOException. */
  @FunctionalInterface
  public interface Loader<T> {
    T load(Loaded checkpoint) throws IOException;
  }

  /** Thrown when a run directory has no usable checkpoint; the message says why, per checkpoint. */
  public static final class NoCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    NoCheckpointException(String message) {
      super(message);
    }
  }

  /**
   * Loads the newest checkpoint of {@code runDir} that verifies and that {@code loader} accepts.
   * A checkpoint whose files are missing, truncated, corrupt or of an unknown format ({@link
   * FileFormatException}, or an {@link IllegalArgumentException} from the loader) is reported to
   * {@code warn} (which file, what is wrong) and the previous one is tried. Any other I/O error (a
   * timeout, a refused permission) is thrown: an older checkpoint would only redo work.
   *
   * @throws NoCheckpointException if none is usable
   */
  public static <T> T newest(Path runDir, Configuration conf, Loader<T> loader,
      Consumer<String> warn) throws IOException {
    Path root = CheckpointLayout.root(runDir);
    List<Long> steps = CheckpointLayout.steps(root, conf);
    steps.sort(Comparator.reverseOrder());
    List<String> problems = new ArrayList<>();
    for (long step : steps) {
      Path dir = CheckpointLayout.stepDir(root, step);
      try {
        T t = loader.load(open(dir, conf));
        if (!problems.isEmpty()) {
          warn.accept("using the checkpoint of step " + step + " instead");
        }
        return t;
      } catch (FileFormatException | IllegalArgumentException e) {
        String problem = "skipping checkpoint " + dir + ": " + e.getMessage();
        problems.add(problem);
        warn.accept(problem);
      }
    }
    throw new NoCheckpointException(runDir + " has no usable checkpoint" + (steps.isEmpty()
        ? " (no " + CheckpointLayout.DIR + "/step-* directory: was checkpointing off?)"
        : ": " + String.join("; ", problems)));
  }

  /**
   * Opens and verifies one checkpoint directory.
   *
   * @throws IOException naming the file that is missing, truncated, corrupt or of an unknown
   *     format version
   */
  public static Loaded open(Path dir, Configuration conf) throws IOException {
    Path manifestPath = new Path(dir, Manifest.NAME);
    byte[] manifestBytes;
    try {
      manifestBytes = Storage.read(manifestPath, conf, MAX_SMALL_FILE);
    } catch (FileNotFoundException e) {
      throw new FileFormatException(manifestPath + " is missing: the checkpoint is incomplete");
    }
    Manifest manifest = Manifest.decode(manifestBytes, manifestPath.toString());
    if (manifest.step() != CheckpointLayout.stepOf(dir)) {
      throw new FileFormatException(manifestPath + ": step " + manifest.step()
          + " does not match the directory's name");
    }
    Map<String, byte[]> kept = new HashMap<>();
    for (Manifest.Entry e : manifest.files().values()) {
      Path p = new Path(dir, e.name());
      byte[] bytes;
      try {
        bytes = Storage.read(p, conf, e.bytes());
      } catch (FileNotFoundException missing) {
        throw new FileFormatException(p + " is missing (listed in " + Manifest.NAME + ")");
      } catch (FileFormatException tooLong) {
        throw new FileFormatException(p + ": larger than the " + e.bytes() + " bytes the "
            + "manifest says");
      }
      if (bytes.length != e.bytes()) {
        throw new FileFormatException(p + ": " + bytes.length + " bytes, the manifest says "
            + e.bytes() + " (truncated)");
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      if (crc.getValue() != e.crc32c()) {
        throw new FileFormatException(p + ": checksum mismatch: the file is corrupt");
      }
      if (!e.name().contains("/")) {
        kept.put(e.name(), bytes);
      }
    }
    return new Loaded(dir, conf, manifest, kept);
  }

  /** A verified checkpoint: its small files decoded, its arrays read on demand. */
  public static final class Loaded {
    private final Path dir;
    private final Configuration conf;
    private final Manifest manifest;
    private final ModelFile.Contents model;
    private final String config;
    private final JsonNode state;

    private Loaded(Path dir, Configuration conf, Manifest manifest, Map<String, byte[]> files)
        throws IOException {
      this.dir = dir;
      this.conf = conf;
      this.manifest = manifest;
      this.model = ModelFile.decode(required(files, CheckpointLayout.MODEL),
          new Path(dir, CheckpointLayout.MODEL).toString());
      this.config = new String(required(files, CheckpointLayout.CONFIG), StandardCharsets.UTF_8);
      String statePath = new Path(dir, CheckpointLayout.STATE).toString();
      try {
        this.state = JSON.readTree(new String(required(files, CheckpointLayout.STATE),
            StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        throw new FileFormatException(statePath + ": not JSON (" + e.getOriginalMessage() + ")");
      }
      if (state == null || !state.isObject()) {
        throw new FileFormatException(statePath + ": not a JSON object");
      }
      if (model.step() != manifest.step()) {
        throw new FileFormatException(dir + ": the model's step " + model.step()
            + " is not the manifest's " + manifest.step());
      }
    }

    private byte[] required(Map<String, byte[]> files, String name) throws IOException {
      byte[] b = files.get(name);
      if (b == null) {
        throw new FileFormatException(new Path(dir, name) + " is missing (not in "
            + Manifest.NAME + ")");
      }
      return b;
    }

    public Path dir() {
      return dir;
    }

    /** Steps done when the checkpoint was taken. */
    public long step() {
      return manifest.step();
    }

    /** The parameters, with the model's architecture, seed and config hash. */
    public ModelFile.Contents model() {
      return model;
    }

    /** The resolved config of the run, as HOCON text. */
    public String config() {
      return config;
    }

    /** {@code state.json}. */
    public JsonNode state() {
      return state;
    }

    /**
     * The array {@code group/name}.
     *
     * @throws IOException if the manifest does not list it or it does not decode
     */
    public float[] array(String group, String name) throws IOException {
      return read(CheckpointLayout.arrayFile(group, name), name);
    }

    /** The executor state of {@code partition} at {@code step}, with the arrays {@code names}. */
    public PartitionSnapshot partition(int partition, long step, List<String> names)
        throws IOException {
      Map<String, float[]> arrays = new java.util.TreeMap<>();
      for (String name : names) {
        arrays.put(name, read(CheckpointLayout.partitionFile(partition, name), name));
      }
      return PartitionSnapshot.of(partition, step, arrays);
    }

    /** The file of partition {@code partition}'s array {@code name} (for {@link #requireArrayListed}). */
    public String partitionFile(int partition, String name) {
      return CheckpointLayout.partitionFile(partition, name);
    }

    /**
     * Checks that the manifest lists {@code file} (it was then verified by {@link #open}).
     *
     * @throws FileFormatException naming it if it does not
     */
    public void requireArrayListed(String file) throws FileFormatException {
      if (!manifest.files().containsKey(file)) {
        throw new FileFormatException(new Path(dir, file) + " is missing (not in "
            + Manifest.NAME + ")");
      }
    }

    private float[] read(String file, String name) throws IOException {
      Manifest.Entry e = manifest.files().get(file);
      Path p = new Path(dir, file);
      if (e == null) {
        throw new FileFormatException(p + " is missing (not in " + Manifest.NAME + ")");
      }
      return ArrayFile.decode(Storage.read(p, conf, e.bytes()), name, p.toString());
    }
  }
}
