# Shared by cluster/test.sh and cluster/recovery-bench.sh (sourced, not run): submitting to the
# loopback cluster, reading a run's metrics.jsonl, killing an executor mid-run, and measuring
# the steps after an executor loss. Expects $root, $cluster, $master, $jar and $out.

# start_cluster: an empty $out, the application jar (built when missing), and a fresh cluster
# of 2 one-core workers, stopped when the script exits; spark-submit on the PATH
start_cluster() {
  rm -rf "$out"
  mkdir -p "$out"
  [ -f "$jar" ] || ./mvnw -B -q -DskipTests package
  $cluster setup
  trap '$cluster stop >/dev/null 2>&1 || true' EXIT
  $cluster stop >/dev/null 2>&1 || true
  $cluster start 2 1 2g
  export PATH="$root/cluster/.work/spark-home/bin:$PATH"
}

# submit NAME [SPARK_OPTIONS... --] ARGS...: spark-submit the application (the README's
# options), its output in $out/NAME.log
submit() {
  local name=$1 opts=()
  shift
  if [[ " $* " == *" -- "* ]]; then
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
  fi
  spark-submit --master "$master" "${opts[@]}" --class org.sparkprop.driver.Main \
    --properties-file conf/spark-defaults.conf "$jar" "$@" > "$out/$name.log" 2>&1
}

# metric RUN_DIR STEP KEY: the value of KEY in the train record of STEP
metric() {
  grep "\"type\":\"train\",\"step\":$2," "$1/metrics.jsonl" | grep -o "\"$3\":[0-9.eE+-]*" \
    | cut -d: -f2
}

# last_step RUN_DIR: the last logged train step (0 when none yet)
last_step() {
  local s
  s=$(grep -o '"type":"train","step":[0-9]*' "$1/metrics.jsonl" 2>/dev/null | tail -1 \
    | cut -d: -f3)
  echo "${s:-0}"
}

# kill_at RUN_DIR STEP LOG: waits until RUN_DIR has logged STEP, then kills an executor
kill_at() {
  local i
  for i in $(seq 1 600); do
    if [ "$(last_step "$1")" -ge "$2" ]; then
      $cluster kill-executor | tee -a "$3"
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# The recovery runs: MNIST for 4 epochs (938 steps of 256 rows), a line every 10 steps, no
# checkpoints; the kill comes at step 120 and the measured window is about the last 300 steps.
# By then the replacement executor's JVM, which starts cold, has warmed up: its job overhead
# takes some 400 steps to come down to the warm executor's.
recovery_run=(train --config conf/examples/mnist-mlp.conf --set train.epochs=4
  --set train.log_every=10 --set checkpoint.every_epochs=0)
recovery_kill_step=120

# window_lines RUN_DIR: the train records of the measured window, from a logged step (every
# 10th) about 300 before the last to the last
window_lines() {
  local to from
  to=$(last_step "$1")
  from=$(( (to - 300 + 9) / 10 * 10 ))
  grep '"type":"train"' "$1/metrics.jsonl" \
    | awk -F'"step":' -v f="$from" -v t="$to" '{ split($2, a, ","); if (a[1] > f && a[1] <= t) print }'
}

# window_steps RUN_DIR: "FROM-TO", the measured window
window_steps() {
  local to
  to=$(last_step "$1")
  echo "$(( (to - 300 + 9) / 10 * 10 ))-$to"
}

# median_step_ms RUN_DIR: the median of the window's logged step_ms (each the mean of its 10
# steps); a median, so that one stall of a shared machine does not decide it
median_step_ms() {
  window_lines "$1" | grep -o '"step_ms":[0-9.]*' | cut -d: -f2 | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1;
        printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# unspread_windows RUN_DIR EXECUTORS: the window's records whose step tasks did not run on
# EXECUTORS executors, as many on each (tasks_by_executor), one per line; empty when all did
unspread_windows() {
  window_lines "$1" | awk -v want="$2" '{
    match($0, /"step":[0-9]+/); step = substr($0, RSTART + 7, RLENGTH - 7)
    if (!match($0, /"tasks_by_executor":\{[^}]*\}/)) { print "step " step ": no tasks_by_executor"; next }
    counts = substr($0, RSTART + 21, RLENGTH - 22)
    n = split(counts, kv, ","); even = 1
    for (i = 1; i <= n; i++) { split(kv[i], p, ":"); if (i == 1) first = p[2]; else if (p[2] != first) even = 0 }
    if (n != want || !even) print "step " step ": " counts }'
}
