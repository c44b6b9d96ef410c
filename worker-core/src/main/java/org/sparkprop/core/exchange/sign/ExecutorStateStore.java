package org.sparkprop.core.exchange.sign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor-JVM-wide store of the sign exchange's per-partition state (residuals, local momenta),
 * keyed by (run, partition) and versioned by step. Tasks of one JVM use {@link #shared()}; tests
 * make their own instances. Thread-safe: tasks of many partitions run concurrently.
 *
 * <p>Versioning, per (run, partition), for a task described by a {@link StateRef} {@code (step t,
 * base b)}, normally {@code b = t - 1}:
 *
 * <ul>
 *   <li>{@link #read} returns the version written at step b, never a later one. So a retried
 *       task at step t reads exactly what the failed attempt read, even if that attempt already
 *       wrote step t, and (all else being deterministic) produces the same payload.
 *   <li>{@link #write} stores version t (overwriting an earlier attempt's version t) and drops
 *       every version except t and b. At most two versions are held, and the base of step t
 *       survives until a write of step t+1 (or later) that does not name it as its base.
 *   <li>A write for a step older than the newest version held is stale (a zombie or speculative
 *       attempt of a step the driver has moved past) and is ignored.
 * </ul>
 *
 * <p><b>Missing state.</b> If version b is not held (the executor was lost and the task runs on a
 * new one, or Spark placed the task on another executor), {@link #read} returns an empty state
 * flagged {@link PartitionState#missing()}: the task restarts from zero. This is logged as a
 * warning and counted ({@link #missingReads()}), never an error. It is the one exception to
 * bitwise determinism of sign-mode training: the payload then differs from the one a surviving
 * state would have produced. Reads with {@code b = NONE} start from zero on purpose and are not
 * counted.
 *
 * <p>Memory: at most two versions per (run, partition), each a few arrays of the flat vector's
 * length. Call {@link #clear(String)} when a run ends; states of partitions that moved to another
 * executor stay (two versions at most) until then.
 */
public final class ExecutorStateStore {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorStateStore.class);
  private static final ExecutorStateStore SHARED = new ExecutorStateStore();

  private final ConcurrentHashMap<Key, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicLong missingReads = new AtomicLong();
  private final AtomicLong staleWrites = new AtomicLong();

  private record Key(String runId, int partition) {}

  /** The versions of one (run, partition); guarded by its own monitor. */
  private static final class Slot {
    final TreeMap<Long, PartitionState> versions = new TreeMap<>();
  }

  /** A new, empty store (tests; tasks use {@link #shared()}). */
  public ExecutorStateStore() {}

  /** The store of this JVM. */
  public static ExecutorStateStore shared() {
    return SHARED;
  }

  /**
   * The state written at {@code ref.baseStep()}: empty (not missing) when the base is NONE, empty
   * and {@link PartitionState#missing() missing} when the base is not held.
   */
  public PartitionState read(StateRef ref) {
    if (ref.isFirst()) {
      return PartitionState.empty();
    }
    Slot slot = slots.get(new Key(ref.runId(), ref.partition()));
    PartitionState state = null;
    if (slot != null) {
      synchronized (slot) {
        state = slot.versions.get(ref.baseStep());
      }
    }
    if (state == null) {
      missingReads.incrementAndGet();
      LOG.warn("sign exchange: no state for run {} partition {} at step {} (needed by step {});"
          + " the executor was lost or the task moved, so it restarts from zero",
          ref.runId(), ref.partition(), ref.baseStep(), ref.step());
      return PartitionState.missingState();
    }
    return state;
  }

  /**
   * Stores {@code state} as version {@code ref.step()} and drops all versions except it and
   * {@code ref.baseStep()}. Ownership of the state's arrays passes to the store.
   *
   * @return false if the write was stale (a newer version is held) and was ignored
   */
  public boolean write(StateRef ref, PartitionState state) {
    PartitionState stored = state.present();
    Slot slot = slots.computeIfAbsent(new Key(ref.runId(), ref.partition()), k -> new Slot());
    synchronized (slot) {
      TreeMap<Long, PartitionState> v = slot.versions;
      if (!v.isEmpty() && v.lastKey() > ref.step()) {
        staleWrites.incrementAndGet();
        LOG.debug("sign exchange: ignored a stale write of run {} partition {} step {} (newest {})",
            ref.runId(), ref.partition(), ref.step(), v.lastKey());
        return false;
      }
      v.put(ref.step(), stored);
      v.keySet().removeIf(s -> s != ref.step() && s != ref.baseStep());
    }
    return true;
  }

  /**
   * The state of (run, partition) written at {@code step}, or null when it is not held. Unlike
   * {@link #read} it neither counts nor logs a miss: a checkpoint records the absence instead.
   */
  public PartitionState peek(String runId, int partition, long step) {
    Slot slot = slots.get(new Key(runId, partition));
    if (slot == null) {
      return null;
    }
    synchronized (slot) {
      return slot.versions.get(step);
    }
  }

  /**
   * Puts a checkpointed state back as version {@code step} of (run, partition), unless a version
   * is already held there (a second task of the same resumed step, or a retry). Ownership of the
   * arrays passes to the store.
   */
  public void restore(String runId, int partition, long step, PartitionState state) {
    Slot slot = slots.computeIfAbsent(new Key(runId, partition), k -> new Slot());
    synchronized (slot) {
      if (slot.versions.isEmpty()) {
        slot.versions.put(step, state.present());
      }
    }
  }

  /** Drops every state of {@code runId} (end of a run). */
  public void clear(String runId) {
    slots.keySet().removeIf(k -> k.runId().equals(runId));
  }

  /** Drops the state of one partition of {@code runId} (as a lost executor would). */
  public void clear(String runId, int partition) {
    slots.remove(new Key(runId, partition));
  }

  /** Drops every state of every run. */
  public void clearAll() {
    slots.clear();
  }

  /** Reads that expected a base and did not find it, since this store was created. */
  public long missingReads() {
    return missingReads.get();
  }

  /** Writes ignored as stale, since this store was created. */
  public long staleWrites() {
    return staleWrites.get();
  }

  /** The steps of the versions held for (run, partition), ascending (diagnostics and tests). */
  public long[] versions(String runId, int partition) {
    Slot slot = slots.get(new Key(runId, partition));
    if (slot == null) {
      return new long[0];
    }
    List<Long> steps;
    synchronized (slot) {
      steps = new ArrayList<>(slot.versions.keySet());
    }
    return steps.stream().mapToLong(Long::longValue).toArray();
  }

  /** Bytes held by all versions of all runs (arrays shared by two versions count twice). */
  public long bytes() {
    long b = 0;
    for (Map.Entry<Key, Slot> e : slots.entrySet()) {
      Slot slot = e.getValue();
      synchronized (slot) {
        for (PartitionState s : slot.versions.values()) {
          b += s.bytes();
        }
      }
    }
    return b;
  }
}
