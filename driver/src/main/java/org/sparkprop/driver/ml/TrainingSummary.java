package org.sparkprop.driver.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sparkprop.driver.io.MetricsSink;

/**
 * What a fit reports: the mean training loss of every step, and the held-out evaluation after
 * every epoch ({@code validationFraction > 0}): loss, and accuracy for a classifier or RMSE for
 * a regressor. The records of a CLI run's metrics.jsonl, kept in memory.
 */
public final class TrainingSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<long[]> steps = new ArrayList<>();
  private final List<Double> loss = new ArrayList<>();
  private final List<Integer> evalEpochs = new ArrayList<>();
  private final List<Double> evalLoss = new ArrayList<>();
  private final List<Double> evalMetric = new ArrayList<>();
  private String metricName = "";

  /** A sink that fills this summary from the trainer's records. */
  MetricsSink sink() {
    return new MetricsSink() {
      @Override
      public void write(Map<String, Object> r) {
        if ("train".equals(r.get("type"))) {
          steps.add(new long[] {((Number) r.get("step")).longValue()});
          Object l = r.get("loss");
          loss.add(l == null ? Double.NaN : ((Number) l).doubleValue());
        } else if ("eval".equals(r.get("type"))) {
          evalEpochs.add((int) Math.round(((Number) r.get("epoch")).doubleValue()));
          evalLoss.add(((Number) r.get("test_loss")).doubleValue());
          metricName = r.containsKey("test_accuracy") ? "accuracy" : "rmse";
          evalMetric.add(((Number) r.get(r.containsKey("test_accuracy") ? "test_accuracy"
              : "test_rmse")).doubleValue());
        }
      }

      @Override
      public void close() {}
    };
  }

  /** The steps (1-based), one per training step. */
  public long[] steps() {
    return steps.stream().mapToLong(s -> s[0]).toArray();
  }

  /** The mean training loss of each step (NaN for a skipped step). */
  public double[] lossHistory() {
    return loss.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The epochs after which the held-out rows were evaluated. */
  public int[] evaluationEpochs() {
    return evalEpochs.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The held-out loss after each evaluated epoch. */
  public double[] evaluationLoss() {
    return evalLoss.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** "accuracy" (classifier) or "rmse" (regressor); empty without evaluations. */
  public String evaluationMetricName() {
    return metricName;
  }

  /** The held-out accuracy or RMSE after each evaluated epoch. */
  public double[] evaluationMetric() {
    return evalMetric.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
