package org.sparkprop.driver.predict;

import java.io.Serializable;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.model.OutputLoss;
import org.sparkprop.driver.data.LabelMap;
import org.sparkprop.driver.io.ModelFile;

/**
 * A trained model that scores blocks of rows, as the executors of {@code predict}, {@code
 * evaluate} and Spark ML's {@code transform} use it (broadcast once). A classifier's scores come
 * in Spark ML's shapes: K raw scores (the logits; a logistic model's single logit z as {@code
 * [-z, z]}), K probabilities, the class index, and the prediction in the data's own label; a
 * regressor's prediction is its output.
 */
public final class TrainedModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ModelSpec spec;
  private final float[] params;
  private final LabelMap labels;

  /** @param labels a classifier's labels in class order (null: class i is label i) */
  public TrainedModel(ModelSpec spec, float[] params, LabelMap labels) {
    if (params.length != spec.numParams()) {
      throw new IllegalArgumentException(params.length + " parameters for " + spec.describe());
    }
    this.spec = spec;
    this.params = params;
    this.labels = spec.isClassification()
        ? (labels == null ? LabelMap.index(spec.numClasses()) : labels) : null;
  }

  /** The model a model file holds. */
  public static TrainedModel of(ModelFile.Contents c) {
    return new TrainedModel(c.spec(), c.params(), c.labels());
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The parameters (shared, do not modify). */
  public float[] params() {
    return params;
  }

  /** A classifier's labels in class order; null for a regressor. */
  public LabelMap labels() {
    return labels;
  }

  /** Classes (K) for a classifier, 0 for a regressor. */
  public int numClasses() {
    return spec.numClasses();
  }

  /** The scores of one block's rows; arrays are row-major. */
  public record Scores(int rows, int classes, float[] raw, float[] probability, int[] classIndex,
      double[] prediction) {}

  /** Scores the rows of {@code batch}. */
  public Scores score(Block batch) {
    Network net = new Network(spec);
    int n = batch.numRows();
    int k = spec.numOutputs();
    float[] out = new float[n * k];
    net.predict(params, batch, out);
    double[] prediction = new double[n];
    if (!spec.isClassification()) {
      for (int i = 0; i < n; i++) {
        prediction[i] = out[i * k];
      }
      return new Scores(n, 0, null, null, null, prediction);
    }
    float[] logits = new float[n * k];
    net.logits(params, batch, logits);
    int classes = spec.numClasses();
    int[] cls = new int[n];
    float[] raw;
    float[] prob;
    if (spec.loss() == OutputLoss.BINARY_CROSS_ENTROPY) {
      raw = new float[2 * n];
      prob = new float[2 * n];
      for (int i = 0; i < n; i++) {
        raw[2 * i] = -logits[i];
        raw[2 * i + 1] = logits[i];
        prob[2 * i] = 1 - out[i];
        prob[2 * i + 1] = out[i];
        cls[i] = out[i] > 0.5f ? 1 : 0;
      }
    } else {
      raw = logits;
      prob = out;
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int j = 1; j < classes; j++) {
          if (prob[i * classes + j] > prob[i * classes + best]) {
            best = j;
          }
        }
        cls[i] = best;
      }
    }
    for (int i = 0; i < n; i++) {
      prediction[i] = labels.labelOf(cls[i]);
    }
    return new Scores(n, classes, raw, prob, cls, prediction);
  }
}
