package org.sparkprop.driver.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.sparkprop.driver.optim.Optimizers;
import org.sparkprop.driver.train.ExchangeMode;
import scala.Function1;

/**
 * The training params of sparkprop's Spark ML estimators and models, one object per owner: each
 * mirrors a key of conf/reference.conf (its doc says which), with the same default and range, and
 * {@link #configOverrides} takes any other key. Spark finds params through public methods, so
 * the owners expose these through {@link HasTrainingParams}.
 */
public final class TrainingParams implements Serializable {
  private static final long serialVersionUID = 1L;

  final Param<String> modelType;
  final IntArrayParam hiddenLayers;
  final Param<String> activation;
  final Param<String> optimizer;
  final DoubleParam learningRate;
  final DoubleParam epochs;
  final IntParam batchSize;
  final LongParam seed;
  final Param<String> exchange;
  final IntParam numPartitions;
  final IntParam blockRows;
  final DoubleParam validationFraction;
  final StringArrayParam configOverrides;
  final Param<String> weightCol;

  /**
   * @param modelTypes the model families the owner takes (the first is the default)
   */
  TrainingParams(Params owner, String... modelTypes) {
    modelType = new Param<>(owner, "modelType", "model.type: one of "
        + String.join(", ", modelTypes) + " (an mlp with no hidden layers is a linear model)",
        ParamValidators.inArray(modelTypes));
    hiddenLayers = new IntArrayParam(owner, "hiddenLayers", "model.hidden: hidden layer "
        + "widths of an mlp, e.g. [256] or [512, 256]", positiveInts());
    activation = new Param<>(owner, "activation", "model.activation: hidden activation of an "
        + "mlp: relu, leaky_relu, tanh, sigmoid or identity", ParamValidators.inArray(
        new String[] {"relu", "leaky_relu", "tanh", "sigmoid", "identity"}));
    optimizer = new Param<>(owner, "optimizer", "optimizer.name: "
        + String.join(", ", Optimizers.names()), ParamValidators.inArray(
        Optimizers.names().toArray(new String[0])));
    learningRate = new DoubleParam(owner, "learningRate", "optimizer.lr: the learning rate "
        + "(> 0)", ParamValidators.gt(0));
    epochs = new DoubleParam(owner, "epochs", "train.epochs: passes over the training rows "
        + "(> 0)", ParamValidators.gt(0));
    batchSize = new IntParam(owner, "batchSize", "train.batch_size: rows per step over all "
        + "partitions (>= 1)", ParamValidators.gtEq(1));
    seed = new LongParam(owner, "seed", "run.seed: seed of the initialisation, the sampling and "
        + "the validation split");
    exchange = new Param<>(owner, "exchange", "exchange: how gradients reach the driver: "
        + String.join(", ", ExchangeMode.names()), ParamValidators.inArray(
        ExchangeMode.names().toArray(new String[0])));
    numPartitions = new IntParam(owner, "numPartitions", "data.partitions: partitions of the "
        + "cached training data = tasks per step (0: spark.default.parallelism)",
        ParamValidators.gtEq(0));
    blockRows = new IntParam(owner, "blockRows", "data.block_rows: rows per cached block (>= 1)",
        ParamValidators.gtEq(1));
    validationFraction = new DoubleParam(owner, "validationFraction", "data.test_fraction: "
        + "rows held out (seeded) and evaluated after every epoch, in [0, 1) (0: none)",
        ParamValidators.inRange(0, 1, true, false));
    configOverrides = new StringArrayParam(owner, "configOverrides", "any other key of "
        + "conf/reference.conf as key=value, e.g. optimizer.betas=[0.9,0.99] or "
        + "lr_schedule.type=cosine (applied last)", keyValues());
    weightCol = new Param<>(owner, "weightCol", "data.weight_col: a numeric column of row "
        + "weights (finite, >= 0) in the training loss, sum(weight * loss) / rows; empty: none");
    owner.setDefault(weightCol, "");
    owner.setDefault(modelType, modelTypes[0]);
    owner.setDefault(hiddenLayers, new int[] {128});
    owner.setDefault(activation, "relu");
    owner.setDefault(optimizer, "adam");
    owner.setDefault(learningRate, 1e-3);
    owner.setDefault(epochs, 10.0);
    owner.setDefault(batchSize, 256);
    owner.setDefault(seed, 42L);
    owner.setDefault(exchange, "dense");
    owner.setDefault(numPartitions, 0);
    owner.setDefault(blockRows, 4096);
    owner.setDefault(validationFraction, 0.0);
    owner.setDefault(configOverrides, new String[0]);
  }

  /**
   * The config keys these params set on {@code owner}, as {@code --set} would take them; the
   * overrides last.
   */
  List<String> settings(Params owner) {
    List<String> out = new ArrayList<>();
    out.add("model.type=" + owner.getOrDefault(modelType));
    out.add("model.hidden=" + Arrays.toString((int[]) owner.getOrDefault(hiddenLayers)));
    out.add("model.activation=" + owner.getOrDefault(activation));
    out.add("optimizer.name=" + owner.getOrDefault(optimizer));
    out.add(String.format(Locale.ROOT, "optimizer.lr=%s", owner.getOrDefault(learningRate)));
    out.add(String.format(Locale.ROOT, "train.epochs=%s", owner.getOrDefault(epochs)));
    out.add("train.batch_size=" + owner.getOrDefault(batchSize));
    out.add("run.seed=" + owner.getOrDefault(seed));
    out.add("exchange=" + owner.getOrDefault(exchange));
    out.add("data.partitions=" + owner.getOrDefault(numPartitions));
    out.add("data.block_rows=" + owner.getOrDefault(blockRows));
    out.add(String.format(Locale.ROOT, "data.test_fraction=%s",
        owner.getOrDefault(validationFraction)));
    String weights = owner.getOrDefault(weightCol);
    if (!weights.isEmpty()) {
      out.add("data.weight_col=\"" + weights.replace("\\", "\\\\").replace("\"", "\\\"")
          + "\"");
    }
    out.addAll(Arrays.asList((String[]) owner.getOrDefault(configOverrides)));
    return out;
  }

  private static Function1<int[], Object> positiveInts() {
    return (Function1<int[], Object> & Serializable) a -> Arrays.stream(a).allMatch(x -> x > 0);
  }

  private static Function1<String[], Object> keyValues() {
    return (Function1<String[], Object> & Serializable) a -> Arrays.stream(a)
        .allMatch(s -> s.indexOf('=') > 0);
  }
}
