package org.sparkprop.driver.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparkprop.driver.data.LabelMap;

/**
 * The metrics {@link Evaluation} computed, as figures, as text for the console and as JSON. A
 * classifier: accuracy, log loss (nats per row), and per class (named by the data's own labels)
 * precision, recall, F1 and support, with the confusion matrix (rows: true class, columns:
 * predicted). A regressor: RMSE, MAE and R².
 */
public final class EvaluationReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrainedModel model;
  private final Evaluation.Sums sums;

  EvaluationReport(TrainedModel model, Evaluation.Sums sums) {
    this.model = model;
    this.sums = sums;
  }

  public long rows() {
    return sums.rows;
  }

  public boolean classifier() {
    return sums.confusion != null;
  }

  public double accuracy() {
    long correct = 0;
    int k = model.numClasses();
    for (int c = 0; c < k; c++) {
      correct += sums.confusion[c * k + c];
    }
    return correct / (double) sums.rows;
  }

  /** Mean log loss in nats; NaN for a model that gives no probabilities (an MSE classifier). */
  public double logLoss() {
    return sums.logLoss / sums.rows;
  }

  /** Rows of true class {@code t} predicted as {@code p}. */
  public long confusion(int t, int p) {
    return sums.confusion[t * model.numClasses() + p];
  }

  /** Of the rows predicted as class c, the share that are c (NaN when none is). */
  public double precision(int c) {
    long predicted = 0;
    for (int t = 0; t < model.numClasses(); t++) {
      predicted += confusion(t, c);
    }
    return predicted == 0 ? Double.NaN : confusion(c, c) / (double) predicted;
  }

  /** Of the rows of class c, the share predicted as c (NaN when there are none). */
  public double recall(int c) {
    long support = support(c);
    return support == 0 ? Double.NaN : confusion(c, c) / (double) support;
  }

  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return Double.isNaN(p) || Double.isNaN(r) || p + r == 0 ? Double.NaN : 2 * p * r / (p + r);
  }

  public long support(int c) {
    long n = 0;
    for (int p = 0; p < model.numClasses(); p++) {
      n += confusion(c, p);
    }
    return n;
  }

  public double rmse() {
    return Math.sqrt(sums.squaredErrors / sums.rows);
  }

  public double mae() {
    return sums.absoluteErrors / sums.rows;
  }

  /** 1 - SSE / SST (NaN when the labels do not vary). */
  public double r2() {
    return sums.labelM2 == 0 ? Double.NaN : 1 - sums.squaredErrors / sums.labelM2;
  }

  /** The metrics as a JSON object (NaN written as null). */
  public ObjectNode json() {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", model.spec().describe());
    o.put("rows", sums.rows);
    if (!classifier()) {
      o.put("task", "regression");
      put(o, "rmse", rmse());
      put(o, "mae", mae());
      put(o, "r2", r2());
      return o;
    }
    o.put("task", "classification");
    put(o, "accuracy", accuracy());
    put(o, "log_loss", logLoss());
    LabelMap labels = model.labels();
    ArrayNode perClass = o.putArray("per_class");
    ArrayNode names = JSON.createArrayNode();
    for (int c = 0; c < model.numClasses(); c++) {
      ObjectNode pc = perClass.addObject();
      pc.put("label", LabelMap.format(labels.labelOf(c)));
      names.add(LabelMap.format(labels.labelOf(c)));
      put(pc, "precision", precision(c));
      put(pc, "recall", recall(c));
      put(pc, "f1", f1(c));
      pc.put("support", support(c));
    }
    ObjectNode cm = o.putObject("confusion_matrix");
    cm.put("rows", "true label");
    cm.put("columns", "predicted label");
    cm.set("labels", names);
    ArrayNode m = cm.putArray("counts");
    for (int t = 0; t < model.numClasses(); t++) {
      ArrayNode row = m.addArray();
      for (int p = 0; p < model.numClasses(); p++) {
        row.add(confusion(t, p));
      }
    }
    return o;
  }

  private static void put(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  /** The report as console lines; the confusion matrix when it has at most 20 classes. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    if (!classifier()) {
      out.add(String.format(Locale.ROOT, "%,d rows | rmse %.6g | mae %.6g | r2 %.6f", rows(),
          rmse(), mae(), r2()));
      return out;
    }
    out.add(String.format(Locale.ROOT, "%,d rows | accuracy %.4f | log loss %s", rows(),
        accuracy(), Double.isNaN(logLoss()) ? "n/a (mse model)"
            : String.format(Locale.ROOT, "%.4f", logLoss())));
    int k = model.numClasses();
    LabelMap labels = model.labels();
    int w = 5;
    for (int c = 0; c < k; c++) {
      w = Math.max(w, LabelMap.format(labels.labelOf(c)).length());
    }
    out.add(String.format(Locale.ROOT, "%" + w + "s  precision  recall      f1   support",
        "label"));
    for (int c = 0; c < k; c++) {
      out.add(String.format(Locale.ROOT, "%" + w + "s  %9s  %6s  %6s  %8d",
          LabelMap.format(labels.labelOf(c)), fixed(precision(c)), fixed(recall(c)),
          fixed(f1(c)), support(c)));
    }
    if (k <= 20) {
      long max = 1;
      for (long v : sums.confusion) {
        max = Math.max(max, v);
      }
      int cw = Math.max(w, Long.toString(max).length()) + 1;
      StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%" + w + "s", "t\\p"));
      for (int p = 0; p < k; p++) {
        head.append(String.format(Locale.ROOT, "%" + cw + "s",
            LabelMap.format(labels.labelOf(p))));
      }
      out.add("confusion matrix (rows: true label, columns: predicted):");
      out.add(head.toString());
      for (int t = 0; t < k; t++) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%" + w + "s",
            LabelMap.format(labels.labelOf(t))));
        for (int p = 0; p < k; p++) {
          row.append(String.format(Locale.ROOT, "%" + cw + "d", confusion(t, p)));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  private static String fixed(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
