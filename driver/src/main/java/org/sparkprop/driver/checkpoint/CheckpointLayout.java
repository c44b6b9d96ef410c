package org.sparkprop.driver.checkpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkprop.driver.io.Storage;

/**
 * Where a checkpoint's files live.
 *
 * <pre>
 * RUN_DIR/checkpoints/step-00001172/
 *   model.sprp                    the parameters, as a model file (usable by --init-from)
 *   config.conf                   the resolved config of the run
 *   state.json                    step, loop counters, evaluations, optimizer and exchange
 *                                 scalars, the data fingerprint, the executor state's index
 *   optimizer/NAME.f32            the optimizer's state arrays (e.g. exp_avg, exp_avg_sq)
 *   exchange/NAME.f32             the exchange's driver-side arrays (1-bit: momentum, denominator)
 *   executor/p00000-NAME.f32      each partition's executor state (residual, momentum)
 *   MANIFEST.json                 written last: every file's size and CRC-32C
 * </pre>
 */
public final class CheckpointLayout {
  public static final String DIR = "checkpoints";
  public static final String MODEL = "model.sprp";
  public static final String CONFIG = "config.conf";
  public static final String STATE = "state.json";
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{8,19})");

  private CheckpointLayout() {}

  /** {@code RUN_DIR/checkpoints}. */
  public static Path root(Path runDir) {
    return new Path(runDir, DIR);
  }

  /** The directory of the checkpoint after {@code step} steps. */
  public static Path stepDir(Path root, long step) {
    return new Path(root, String.format(Locale.ROOT, "step-%08d", step));
  }

  /** The step of a checkpoint directory's name, or -1 when the name is not one. */
  public static long stepOf(Path dir) {
    Matcher m = STEP_DIR.matcher(dir.getName());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The steps of the checkpoint directories under {@code root}, complete or not, unordered. */
  static List<Long> steps(Path root, Configuration conf) throws IOException {
    List<Long> steps = new ArrayList<>();
    for (Path p : Storage.subdirectories(root, conf)) {
      long step = stepOf(p);
      if (step >= 0) {
        steps.add(step);
      }
    }
    return steps;
  }

  static String arrayFile(String group, String name) {
    return group + "/" + name + ".f32";
  }

  static String partitionFile(int partition, String name) {
    return String.format(Locale.ROOT, "executor/p%05d-%s.f32", partition, name);
  }
}
