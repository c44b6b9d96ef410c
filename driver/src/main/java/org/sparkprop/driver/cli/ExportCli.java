package org.sparkprop.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkprop.driver.ExitCodes;
import org.sparkprop.driver.Version;
import org.sparkprop.driver.export.OnnxExport;
import org.sparkprop.driver.io.AtomicFiles;
import org.sparkprop.driver.io.ModelFile;
import org.sparkprop.driver.io.Storage;
import org.sparkprop.driver.predict.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparkprop export}: a trained model in a format other runtimes serve. */
@Command(name = "export", header = "Write a trained model as ONNX, to serve it outside Spark",
    sortOptions = false, usageHelpAutoWidth = true, usageHelpWidth = 100,
    mixinStandardHelpOptions = true,
    versionProvider = org.sparkprop.driver.Version.class,
    description = {
      "ONNX (opset 13): input 'features' float32 [N, D]; outputs 'probability' float32",
      "[N, K] and 'prediction' float32 [N, 1] (the class's label in the data's own labels)",
      "for a classifier, 'prediction' float32 [N, 1] for a regressor. ONNX Runtime gives",
      "sparkprop's predictions to within 1e-5. Needs no Spark.",
      "",
      "  sparkprop export --model RUN_DIR --format onnx --out model.onnx",
      ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:written", "1:no such model, --out exists, an I/O error", "2:bad usage"})
public final class ExportCli implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--model", paramLabel = "PATH", required = true,
      description = "the model: a model file, a run directory (its model.sprp) or a saved "
        + "Spark ML model (its data/model.sprp)")
  String model;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
      completionCandidates = Formats.class,
      description = "the format to write: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "the file to write (any Hadoop path; written whole or not at all)")
  String target;

  @Option(names = "--overwrite", description = "replace --out when it exists")
  boolean overwrite;

  public ExportCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** The formats export writes. */
  static final class Formats extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Formats() {
      super(java.util.List.of("onnx"));
    }
  }

  @Override
  public Integer call() {
    try {
      if (!new Formats().contains(format)) {
        throw new UserError(ExitCodes.USAGE, "--format " + format + ": expected onnx");
      }
      Configuration conf = new Configuration();
      ModelFile.Contents m = ModelLocation.read(model, conf);
      Path p = TrainCommand.path(target, "--out");
      try {
        if (!overwrite && Storage.exists(p, conf)) {
          throw new UserError(ExitCodes.FAILED, "--out " + target + " exists: give another "
              + "path, or --overwrite to replace it");
        }
        byte[] bytes = OnnxExport.encode(TrainedModel.of(m), Version.version(),
            "sparkprop model " + m.spec().describe() + " from " + model);
        AtomicFiles.write(p, conf, bytes);
        out.println(String.format(java.util.Locale.ROOT, "sparkprop export: %s (%,d "
            + "parameters) written to %s as ONNX, %,d bytes", m.spec().describe(),
            m.spec().numParams(), target, bytes.length));
      } catch (IOException e) {
        throw new UserError(ExitCodes.FAILED, "cannot write " + target + ": " + e.getMessage());
      }
      return ExitCodes.OK;
    } catch (UserError e) {
      err.println("sparkprop export: " + e.getMessage());
      return e.exitCode();
    }
  }
}
