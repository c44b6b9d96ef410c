package org.sparkprop.driver.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The training params' accessors, getters and setters, for every sparkprop estimator and model
 * ({@link TrainingParams} says what each means). Spark finds params through public
 * zero-argument methods returning a {@code Param}, which these default methods are.
 *
 * @param <S> the implementing class, returned by the setters
 */
public interface HasTrainingParams<S extends Params> {
  /** The owner's params (created in its constructor). */
  TrainingParams trainingParams();

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  private <T> T get(Param<T> p) {
    return self().getOrDefault(p);
  }

  private S put(Param<?> p, Object v) {
    @SuppressWarnings("unchecked")
    Param<Object> param = (Param<Object>) p;
    self().set(param, v);
    return self();
  }

  default Param<String> modelType() {
    return trainingParams().modelType;
  }

  default String getModelType() {
    return get(modelType());
  }

  default S setModelType(String v) {
    return put(modelType(), v);
  }

  default IntArrayParam hiddenLayers() {
    return trainingParams().hiddenLayers;
  }

  default int[] getHiddenLayers() {
    return (int[]) get(hiddenLayers());
  }

  default S setHiddenLayers(int... v) {
    return put(hiddenLayers(), v);
  }

  default Param<String> activation() {
    return trainingParams().activation;
  }

  default String getActivation() {
    return get(activation());
  }

  default S setActivation(String v) {
    return put(activation(), v);
  }

  default Param<String> optimizer() {
    return trainingParams().optimizer;
  }

  default String getOptimizer() {
    return get(optimizer());
  }

  default S setOptimizer(String v) {
    return put(optimizer(), v);
  }

  default DoubleParam learningRate() {
    return trainingParams().learningRate;
  }

  default double getLearningRate() {
    return (Double) get(learningRate());
  }

  default S setLearningRate(double v) {
    return put(learningRate(), v);
  }

  default DoubleParam epochs() {
    return trainingParams().epochs;
  }

  default double getEpochs() {
    return (Double) get(epochs());
  }

  default S setEpochs(double v) {
    return put(epochs(), v);
  }

  default IntParam batchSize() {
    return trainingParams().batchSize;
  }

  default int getBatchSize() {
    return (Integer) get(batchSize());
  }

  default S setBatchSize(int v) {
    return put(batchSize(), v);
  }

  default LongParam seed() {
    return trainingParams().seed;
  }

  default long getSeed() {
    return (Long) get(seed());
  }

  default S setSeed(long v) {
    return put(seed(), v);
  }

  default Param<String> exchange() {
    return trainingParams().exchange;
  }

  default String getExchange() {
    return get(exchange());
  }

  default S setExchange(String v) {
    return put(exchange(), v);
  }

  default IntParam numPartitions() {
    return trainingParams().numPartitions;
  }

  default int getNumPartitions() {
    return (Integer) get(numPartitions());
  }

  default S setNumPartitions(int v) {
    return put(numPartitions(), v);
  }

  default IntParam blockRows() {
    return trainingParams().blockRows;
  }

  default int getBlockRows() {
    return (Integer) get(blockRows());
  }

  default S setBlockRows(int v) {
    return put(blockRows(), v);
  }

  default DoubleParam validationFraction() {
    return trainingParams().validationFraction;
  }

  default double getValidationFraction() {
    return (Double) get(validationFraction());
  }

  default S setValidationFraction(double v) {
    return put(validationFraction(), v);
  }

  default StringArrayParam configOverrides() {
    return trainingParams().configOverrides;
  }

  default String[] getConfigOverrides() {
    return (String[]) get(configOverrides());
  }

  default S setConfigOverrides(String... v) {
    return put(configOverrides(), v);
  }

  default Param<String> weightCol() {
    return trainingParams().weightCol;
  }

  default String getWeightCol() {
    return get(weightCol());
  }

  default S setWeightCol(String v) {
    return put(weightCol(), v);
  }
}
