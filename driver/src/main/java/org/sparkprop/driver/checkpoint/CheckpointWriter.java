package org.sparkprop.driver.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkprop.core.exchange.sign.PartitionSnapshot;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.io.ArrayFile;
import org.sparkprop.driver.io.AtomicFiles;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.Storage;

/**
 * Writes checkpoints under {@code RUN_DIR/checkpoints/} (layout: {@link CheckpointLayout}).
 *
 * <p>Order: {@link #begin} clears the step's directory (an incomplete or unusable earlier try of
 * the same step), the arrays and files go in, then {@link Pending#commit} writes the manifest
 * last: a reader trusts a checkpoint only through its manifest, so the manifest, not a rename, is
 * the commit point, also on stores without atomic rename (S3A). Only after the commit are
 * checkpoints older than the newest {@code keepLast} complete ones deleted.
 */
public final class CheckpointWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);

  private final Path root;
  private final Configuration conf;
  private final int keepLast;

  /**
   * @param runDir the run directory
   * @param keepLast complete checkpoints to keep, at least 1
   */
  public CheckpointWriter(Path runDir, Configuration conf, int keepLast) {
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
    }
    this.root = CheckpointLayout.root(runDir);
    this.conf = conf;
    this.keepLast = keepLast;
  }

  /** Starts the checkpoint of {@code step}, replacing whatever a directory of that step holds. */
  public Pending begin(long step) throws IOException {
    Path dir = CheckpointLayout.stepDir(root, step);
    Storage.deleteRecursively(dir, conf);
    return new Pending(step, dir);
  }

  /** A checkpoint being written; nothing of it is visible to readers until {@link #commit}. */
  public final class Pending {
    private final long step;
    private final Path dir;
    private final Map<String, Manifest.Entry> files = new LinkedHashMap<>();

    private Pending(long step, Path dir) {
      this.step = step;
      this.dir = dir;
    }

    /** The checkpoint's directory. */
    public Path dir() {
      return dir;
    }

    /** Writes the array {@code group/name}. */
    public void array(String group, String name, float[] values) throws IOException {
      write(CheckpointLayout.arrayFile(group, name), ArrayFile.encode(name, values));
    }

    /** Writes one partition's executor state (nothing for a missing one: the state says so). */
    public void partition(PartitionSnapshot s) throws IOException {
      for (Map.Entry<String, float[]> e : s.arrays().entrySet()) {
        write(CheckpointLayout.partitionFile(s.partition(), e.getKey()),
            ArrayFile.encode(e.getKey(), e.getValue()));
      }
    }

    /**
     * Writes the parameters (as a model file), the resolved config and the state, then the
     * manifest, and deletes checkpoints beyond {@code keepLast}.
     */
    public void commit(ModelSpec spec, float[] params, long seed, String configHash,
        String config, ObjectNode state) throws IOException {
      commit(spec, params, seed, configHash, null, config, state);
    }

    /** As {@link #commit(ModelSpec, float[], long, String, String, ObjectNode)}, with labels. */
    public void commit(ModelSpec spec, float[] params, long seed, String configHash,
        org.sparkprop.driver.data.LabelMap labels, String config, ObjectNode state)
        throws IOException {
      write(CheckpointLayout.MODEL, ModelFile.encode(spec, params, step, seed, configHash,
          labels));
      write(CheckpointLayout.CONFIG, config.getBytes(StandardCharsets.UTF_8));
      write(CheckpointLayout.STATE, state.toPrettyString().getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(new Path(dir, Manifest.NAME), conf, new Manifest(step, files).encode());
      prune(step);
    }

    private void write(String name, byte[] bytes) throws IOException {
      Storage.write(new Path(dir, name), conf, bytes);
      files.put(name, Manifest.entry(name, bytes));
    }
  }

  /**
   * Deletes every checkpoint older than {@code newest} except the {@code keepLast - 1} newest
   * complete ones below it. Checkpoints of later steps (left by an earlier incarnation of the run)
   * are left alone: they are replaced when the run reaches their step.
   */
  private void prune(long newest) throws IOException {
    List<Long> complete = new ArrayList<>();
    List<Long> other = new ArrayList<>();
    for (long step : CheckpointLayout.steps(root, conf)) {
      if (step >= newest) {
        continue;
      }
      boolean committed = Storage.exists(
          new Path(CheckpointLayout.stepDir(root, step), Manifest.NAME), conf);
      (committed ? complete : other).add(step);
    }
    complete.sort(null);
    int keep = keepLast - 1;
    List<Long> drop = new ArrayList<>(other);
    drop.addAll(complete.subList(0, Math.max(0, complete.size() - keep)));
    for (long step : drop) {
      try {
        Path dir = CheckpointLayout.stepDir(root, step);
        // The manifest first: a delete that stops half way (S3 deletes object by object) leaves
        // a checkpoint no reader trusts.
        Storage.deleteRecursively(new Path(dir, Manifest.NAME), conf);
        Storage.deleteRecursively(dir, conf);
      } catch (IOException e) {
        LOG.warn("could not delete old checkpoint {}: {}", CheckpointLayout.stepDir(root, step),
            e.toString());
      }
    }
  }
}
