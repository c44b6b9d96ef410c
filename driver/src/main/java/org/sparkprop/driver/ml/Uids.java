package org.sparkprop.driver.ml;

import org.apache.spark.ml.util.Identifiable;

/**
 * The uid of a Spark ML object under construction. Spark's {@code Params} constructors create
 * params that ask the object for its uid before a Java subclass's fields are set, so the uid is
 * handed over through a thread-local set just before the super constructor runs, and kept on
 * first use.
 */
final class Uids {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private Uids() {}

  /** Hands {@code uid} to the object about to be constructed on this thread. */
  static Void stash(String uid) {
    PENDING.set(uid);
    return null;
  }

  /** The uid handed over (and forgets it), or a new random one with {@code prefix}. */
  static String take(String prefix) {
    String uid = PENDING.get();
    PENDING.remove();
    return uid != null ? uid : Identifiable.randomUID(prefix);
  }
}
