package org.sparkprop.driver.predict;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sparkprop.core.data.Block;
import org.sparkprop.core.data.RowSink;
import org.sparkprop.driver.dataset.VectorRows;

/**
 * Scores a DataFrame partition in batches on an executor: up to {@value #BATCH} rows at a time
 * are packed into one block (CSR when every row of the batch is a sparse vector, else dense)
 * and scored by one forward pass of the broadcast model; each output row is the input row's
 * first columns with the requested score columns after them. Features: an ML vector (or its
 * struct, as ORC keeps it) or an array of numbers.
 */
public final class RowScoring implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  /** Rows per forward pass. */
  static final int BATCH = 1024;

  /**
   * Where a score goes in the output row; -1 for a column not asked for.
   *
   * @param inputs the input row's first columns kept, in the output row's first places
   * @param outputs the output row's columns
   * @param labels a classifier's prediction as the data's label (else the class index, Spark
   *     ML's convention)
   * @param vectors raw scores and probabilities as ML vectors (else arrays of double)
   */
  public record Columns(int features, int inputs, int outputs, int raw, int probability,
      int prediction, boolean labels, boolean vectors) implements java.io.Serializable {}

  private final Broadcast<TrainedModel> model;
  private final Columns at;
  private final double[] thresholds;

  /** @param thresholds a classifier's per-class thresholds (Spark ML's semantics), or null */
  public RowScoring(Broadcast<TrainedModel> model, Columns at, double[] thresholds) {
    this.model = model;
    this.at = at;
    this.thresholds = thresholds;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    TrainedModel m = model.value();
    return new Iterator<>() {
      private final List<Row> pending = new ArrayList<>();
      private Iterator<Row> ready = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        if (!ready.hasNext() && rows.hasNext()) {
          ready = next(m).iterator();
        }
        return ready.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.next();
      }

      private List<Row> next(TrainedModel m) {
        pending.clear();
        while (rows.hasNext() && pending.size() < BATCH) {
          pending.add(rows.next());
        }
        return score(m, pending);
      }
    };
  }

  private List<Row> score(TrainedModel m, List<Row> batch) {
    int d = m.spec().inputDim();
    List<Object> features = new ArrayList<>(batch.size());
    for (Row r : batch) {
      features.add(VectorRows.of(r.get(at.features())));
    }
    boolean sparse = features.stream().allMatch(f -> f instanceof SparseVector);
    RowSink sink = sparse ? RowSink.sparse(d) : RowSink.dense(d);
    float[] dense = new float[d];
    for (Object f : features) {
      int size = f instanceof Vector ? ((Vector) f).size() : ((scala.collection.Seq<?>) f).size();
      if (size != d) {
        throw new IllegalArgumentException("the features column holds a row of " + size
            + " values, the model takes " + d);
      }
      if (sparse) {
        SparseVector s = (SparseVector) f;
        float[] values = new float[s.values().length];
        for (int k = 0; k < values.length; k++) {
          values[k] = (float) s.values()[k];
        }
        sink.addSparse(s.indices(), values, values.length, 0f);
      } else if (f instanceof Vector) {
        double[] a = ((Vector) f).toArray();
        for (int j = 0; j < d; j++) {
          dense[j] = (float) a[j];
        }
        sink.addDense(dense, 0f);
      } else {
        scala.collection.Seq<?> a = (scala.collection.Seq<?>) f;
        for (int j = 0; j < d; j++) {
          dense[j] = ((Number) a.apply(j)).floatValue();
        }
        sink.addDense(dense, 0f);
      }
    }
    Block block = sink.finish();
    TrainedModel.Scores s = m.score(block);
    List<Row> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Row r = batch.get(i);
      Object[] values = new Object[at.outputs()];
      for (int c = 0; c < at.inputs(); c++) {
        values[c] = r.get(c);
      }
      if (s.classes() > 0) {
        int k = s.classes();
        if (at.raw() >= 0) {
          values[at.raw()] = vector(slice(s.raw(), i, k));
        }
        double[] p = slice(s.probability(), i, k);
        if (at.probability() >= 0) {
          values[at.probability()] = vector(p);
        }
        if (at.prediction() >= 0) {
          int c = thresholds == null ? s.classIndex()[i] : byThresholds(p);
          values[at.prediction()] = at.labels() ? m.labels().labelOf(c) : (double) c;
        }
      } else if (at.prediction() >= 0) {
        values[at.prediction()] = s.prediction()[i];
      }
      out.add(RowFactory.create(values));
    }
    return out;
  }

  private Object vector(double[] v) {
    return at.vectors() ? Vectors.dense(v) : v;
  }

  private static double[] slice(float[] a, int row, int k) {
    double[] out = new double[k];
    for (int j = 0; j < k; j++) {
      out[j] = a[row * k + j];
    }
    return out;
  }

  /** Spark ML's rule: the class with the largest probability / threshold (0 threshold first). */
  private int byThresholds(double[] p) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < p.length; j++) {
      double score = thresholds[j] == 0 ? Double.POSITIVE_INFINITY : p[j] / thresholds[j];
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    }
    return best;
  }
}
