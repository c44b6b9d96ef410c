package org.sparkprop.driver.dataset;

import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;

/**
 * An ML vector column's value as a {@link org.apache.spark.ml.linalg.Vector}, also where a file
 * format kept only the vector's SQL form, the struct {@code (type: 0 sparse / 1 dense, size,
 * indices, values)} (ORC does not keep the UDT). Anything else is returned as it is.
 */
public final class VectorRows {
  private VectorRows() {}

  /** {@code value} as a Vector when it is a vector's struct, else itself. */
  public static Object of(Object value) {
    if (!(value instanceof Row)) {
      return value;
    }
    Row r = (Row) value;
    List<Double> values = r.getList(3);
    double[] v = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    if (r.getByte(0) == 1) {
      return Vectors.dense(v);
    }
    List<Integer> indices = r.getList(2);
    int[] idx = new int[indices.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = indices.get(i);
    }
    return Vectors.sparse(r.getInt(1), idx, v);
  }
}
