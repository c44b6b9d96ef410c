package org.sparkprop.driver.predict;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.model.EvalStats;
import org.sparkprop.core.model.Network;
import org.sparkprop.core.model.OutputLoss;

/**
 * A trained model's metrics on a data set, computed where the rows are: each partition sums its
 * rows' confusion counts and log loss (a classifier) or its errors and label moments (a
 * regressor); the driver merges the partitions' sums in partition order, so a data set gives
 * the same figures to the last bit in every run.
 */
public final class Evaluation {
  private Evaluation() {}

  /** One partition's sums (and, merged, the data set's). Kryo-registered; fields by name. */
  public static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    long rows;
    /** Classifier: true class x predicted class counts, row-major; null for a regressor. */
    long[] confusion;
    /** Log loss in nats, summed; NaN where the model is no probabilistic classifier. */
    double logLoss;
    double absoluteErrors;
    double squaredErrors;
    /** Mean of the labels and the sum of squared deviations from it (Chan et al.'s merge). */
    double labelMean;
    double labelM2;

    Sums() {}

    Sums(int classes, boolean logLoss) {
      this.confusion = classes > 0 ? new long[classes * classes] : null;
      this.logLoss = logLoss ? 0 : Double.NaN;
    }

    void merge(Sums o) {
      if (o.rows == 0) {
        return;
      }
      if (confusion != null) {
        for (int i = 0; i < confusion.length; i++) {
          confusion[i] += o.confusion[i];
        }
      }
      logLoss += o.logLoss;
      absoluteErrors += o.absoluteErrors;
      squaredErrors += o.squaredErrors;
      long n = rows + o.rows;
      double delta = o.labelMean - labelMean;
      labelM2 += o.labelM2 + delta * delta * rows * (double) o.rows / n;
      labelMean += delta * o.rows / n;
      rows = n;
    }
  }

  /** Scores {@code blocks} (labels as class indices for a classifier) with the model. */
  public static EvaluationReport run(Broadcast<TrainedModel> model, JavaRDD<Block> blocks) {
    TrainedModel m = model.value();
    int classes = m.numClasses();
    boolean probabilistic = m.spec().loss() != OutputLoss.MSE;
    List<Sums> parts = blocks.mapPartitions(it -> {
      TrainedModel tm = model.value();
      Network net = new Network(tm.spec());
      Sums s = new Sums(classes, probabilistic);
      while (it.hasNext()) {
        add(s, tm, net, it.next(), probabilistic);
      }
      return List.of(s).iterator();
    }, true).collect();
    Sums all = new Sums(classes, probabilistic);
    for (Sums p : parts) {
      all.merge(p);
    }
    return new EvaluationReport(m, all);
  }

  private static void add(Sums s, TrainedModel m, Network net, Block b, boolean probabilistic) {
    Sums part = new Sums(m.numClasses(), probabilistic);
    int n = b.numRows();
    part.rows = n;
    TrainedModel.Scores scores = m.score(b);
    if (m.numClasses() > 0) {
      int k = m.numClasses();
      for (int r = 0; r < n; r++) {
        part.confusion[(int) b.label(r) * k + scores.classIndex()[r]]++;
      }
      if (probabilistic) {
        EvalStats e = net.evaluate(m.params(), b);
        part.logLoss = e.lossSum();
      }
    } else {
      double mean = 0;
      for (int r = 0; r < n; r++) {
        double y = b.label(r);
        double e = scores.prediction()[r] - y;
        part.absoluteErrors += Math.abs(e);
        part.squaredErrors += e * e;
        mean += y;
      }
      mean /= n;
      for (int r = 0; r < n; r++) {
        double d = b.label(r) - mean;
        part.labelM2 += d * d;
      }
      part.labelMean = mean;
    }
    s.merge(part);
  }
}
