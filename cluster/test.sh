#!/usr/bin/env bash
# The cluster test: sparkprop on a real Spark standalone cluster on 127.0.0.1 (a master and two
# one-core workers; executors in JVMs of their own; Spark from the build's Maven jars), submitted
# with spark-submit. It checks:
#   1. the README's spark-submit command, run as written, trains MNIST with the default driver
#      memory (1g);
#   2. kill -9 of an executor mid-run still gives the model of the run without the kill, bit for
#      bit, and after the recovery every step's tasks run on both executors again, one each
#      (throughput over the same late steps at least 0.6 x the run without the kill here;
#      cluster/recovery-bench.sh measures the goal of 0.8 x over alternating pairs);
#   3. in a sign mode, the lost executor's residuals restart (state_restarts) and the run ends;
#   4. an IDX data set 4 x MNIST's size trains with the default driver memory;
#   5. with spark.authenticate, network and I/O encryption on, a run with the secret trains and
#      one without it is refused.
# Usage: cluster/test.sh [SECTION...] (from anywhere; builds the application jar when it is
# missing; with section numbers, runs only those).
# Runs in about 10 minutes on 2 cores. Writes under cluster/.work/test (git-ignored).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cluster=cluster/cluster.sh
out=cluster/.work/test
jar=driver/target/sparkprop-driver-0.1.0-SNAPSHOT-app.jar
master=$($cluster master-url)
secret="sparkprop-cluster-test-$RANDOM$RANDOM"
failures=0

say() { echo "== $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
# want N: section N is to run (all of them when none was named)
want() { [ -z "$sections" ] || [[ " $sections " == *" $1 "* ]]; }
sections="$*"


source cluster/lib.sh
start_cluster

if want 1; then
  say "1. the README's cluster command, as written (default driver memory)"
  command=$(sed -n '/<!-- cluster-test: run as written -->/,/^```$/p' README.md | sed '1,2d;$d')
  echo "$command"
  runs_before=$(ls -d runs/mnist-mlp-* 2>/dev/null | sort || true)
  if (MASTER=$master; eval "$command") > "$out/readme.log" 2>&1; then
    readme_run=$(comm -13 <(echo "$runs_before") <(ls -d runs/mnist-mlp-* | sort) | tail -1)
    accuracy=$(grep -o '"test_accuracy" : [0-9.]*' "$readme_run/summary.json" | cut -d' ' -f3)
    awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.975) }' \
      && pass "README command: test accuracy $accuracy in $readme_run" \
      || fail "README command: test accuracy $accuracy < 0.975"
  else
    fail "README command failed: $(tail -5 "$out/readme.log")"
  fi
fi

if want 2; then
  say "2. kill -9 of an executor mid-run: the same bits, and the work spread again"
  submit clean "${recovery_run[@]}" --run-dir "$out/clean" \
    || fail "clean run: $(tail -3 "$out/clean.log")"
  submit killed "${recovery_run[@]}" --run-dir "$out/killed" &
  pid=$!
  kill_at "$out/killed" $recovery_kill_step "$out/killed.log" \
    || fail "the killed run never reached step $recovery_kill_step"
  wait $pid || fail "killed run: $(tail -3 "$out/killed.log")"
  if cmp -s "$out/clean/model.sprp" "$out/killed/model.sprp"; then
    pass "after the executor kill: the same model ($(sha256sum < "$out/killed/model.sprp" | cut -c1-16))"
  else
    fail "the executor kill changed the model"
  fi
  # Whether the recomputed partitions landed on one executor (then sparkprop spreads them out
  # again) depends on when the replacement executor registers; either way the late steps must
  # run on both executors, one task each per step.
  if grep -q "spreading the 2 cached partitions over them again" "$out/killed.log"; then
    echo "   (the recomputed partitions sat on one executor and were spread out again at" \
      "$(grep -B1 'spreading the 2 cached' "$out/killed.log" | grep -o 'step [0-9]*' | head -1))"
  else
    echo "   (the recomputed partitions landed on both executors by themselves)"
  fi
  window=$(window_steps "$out/killed")
  unspread=$(unspread_windows "$out/killed" 2)
  [ -z "$unspread" ] \
    && pass "steps $window after recovery: every step's 2 tasks ran on both executors, one each" \
    || fail "steps $window after recovery: not spread over 2 executors: $(echo $unspread)"
  # Throughput over the same late steps: the median logged step time. Two runs without any
  # kill differ by up to 0.7 x here (27 against 39 ms over steps 800-938, 3 JVMs on 2 cores),
  # so the goal of 0.8 x is measured by cluster/recovery-bench.sh over alternating pairs; this
  # run fails only under 0.6 x, about what all tasks on one executor cost (0.55 x).
  clean_ms=$(median_step_ms "$out/clean")
  killed_ms=$(median_step_ms "$out/killed")
  ratio=$(awk -v k="$killed_ms" -v c="$clean_ms" 'BEGIN { printf "%.2f", c / k }')
  summary="median step $killed_ms ms against $clean_ms ms without the kill ($ratio x throughput)"
  if awk -v r="$ratio" 'BEGIN { exit !(r >= 0.6) }'; then
    pass "steps $window after recovery: $summary"
  else
    fail "steps $window after recovery: $summary (< 0.6 x)"
  fi
fi

if want 3; then
  say "3. a sign mode loses an executor's residuals: they restart, the run ends"
  submit sign "${recovery_run[@]}" --set exchange=sign-ef --set optimizer.lr=0.002 --set train.epochs=1 \
    --run-dir "$out/sign" &
  pid=$!
  kill_at "$out/sign" 80 "$out/sign.log" || fail "the sign run never reached step 80"
  if wait $pid; then
    restarts=$(grep -o '"state_restarts":[0-9]*' "$out/sign/metrics.jsonl" | tail -1 | cut -d: -f2)
    [ "${restarts:-0}" -ge 1 ] && pass "sign-ef: $restarts state restart(s) counted, run finished" \
      || fail "sign-ef: no state restart counted after the kill ($(grep -c 'Lost executor' \
        "$out/sign.log") executor loss(es) logged; $(grep 'cluster.sh: killed' "$out/sign.log"))"
  else
    fail "sign run: $(tail -3 "$out/sign.log")"
  fi
fi

if want 4; then
  say "4. an IDX data set 4 x MNIST's size, default driver memory (executors hold the data)"
  big="$out/mnist4x"
  mkdir -p "$big"
  { printf '\x00\x00\x08\x03\x00\x03\xa9\x80\x00\x00\x00\x1c\x00\x00\x00\x1c'  # 240,000 28x28
    for _ in 1 2 3 4; do tail -c +17 data/mnist/train-images-idx3-ubyte; done; } \
    > "$big/train-images-idx3-ubyte"
  { printf '\x00\x00\x08\x01\x00\x03\xa9\x80'
    for _ in 1 2 3 4; do tail -c +9 data/mnist/train-labels-idx1-ubyte; done; } \
    > "$big/train-labels-idx1-ubyte"
  cp data/mnist/t10k-* "$big/"
  if submit big --executor-memory 1800m -- train --config conf/examples/mnist-mlp.conf \
      --set data.train="$big" --set train.epochs=0.1 --run-dir "$out/big"; then
    grep -q "240,000 training rows" "$out/big.log" \
      && pass "4 x MNIST ($(du -h "$big/train-images-idx3-ubyte" | cut -f1)) trained: $(grep -o 'test accuracy [0-9.]*%' "$out/big.log" | tail -1)" \
      || fail "4 x MNIST: not 240,000 rows: $(grep sparkprop: "$out/big.log")"
  else
    fail "4 x MNIST: $(tail -3 "$out/big.log")"
  fi
fi

if want 5; then
  say "5. authentication and encryption: with the secret it trains, without it is refused"
  $cluster stop >/dev/null
  CLUSTER_SECRET=$secret $cluster start 2 1 2g
  secure=(--conf spark.authenticate=true --conf spark.authenticate.secret=$secret
    --conf spark.network.crypto.enabled=true --conf spark.io.encryption.enabled=true)
  if spark-submit --master "$master" "${secure[@]}" --class org.sparkprop.driver.Main \
      --properties-file conf/spark-defaults.conf "$jar" train --config conf/examples/mnist-mlp.conf \
      --set train.epochs=0.2 --run-dir "$out/secure" > "$out/secure.log" 2>&1; then
    pass "with the secret: $(grep -o 'test accuracy [0-9.]*%' "$out/secure.log" | tail -1)"
  else
    fail "with the secret: $(tail -3 "$out/secure.log")"
  fi
  # Refused, not hung: Spark tries the master 3 times, 20 s apart, then gives up; the run ends
  # with sparkprop's one-line message well before the timeout.
  t0=$SECONDS
  rc=0
  timeout 300 spark-submit --master "$master" --class org.sparkprop.driver.Main \
      --properties-file conf/spark-defaults.conf "$jar" train --config conf/examples/mnist-mlp.conf \
      --set train.epochs=0.2 --run-dir "$out/insecure" > "$out/insecure.log" 2>&1 || rc=$?
  message=$(grep '^sparkprop train:' "$out/insecure.log" | head -1)
  if [ $rc = 0 ]; then
    fail "a submit without the secret trained"
  elif [ $rc = 124 ]; then
    fail "a submit without the secret hung (killed after 300 s)"
  elif [ -f "$out/insecure/model.sprp" ]; then
    fail "without the secret: a model was written"
  elif [[ "$message" != *spark.authenticate.secret* ]]; then
    fail "without the secret: exit $rc without the message naming the secret: $(tail -1 "$out/insecure.log")"
  else
    pass "without the secret: refused in $((SECONDS - t0)) s, exit $rc ($message)"
  fi
fi

say "$([ $failures = 0 ] && echo "cluster test passed" || echo "cluster test: $failures failure(s)")"
exit $((failures > 0))
