#!/usr/bin/env bash
# Throughput after an executor loss, against runs without one, side by side: PAIRS pairs (default
# 3) of MNIST runs on the loopback cluster (2 one-core workers), each pair a run without a kill
# and one with an executor kill -9 at step 120, the order alternating from pair to pair so that
# a drift of the machine favours neither. Per run: the median step time over about the last 300
# of 938 steps (cluster/lib.sh) and whether those steps' tasks ran on both executors; per pair:
# the throughput ratio (without / with the kill, in step time). The goal: at least 0.8 x.
# Usage: cluster/recovery-bench.sh [PAIRS]. About 2.5 minutes a pair on 2 cores. Writes under
# cluster/.work/recovery-bench (git-ignored).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
pairs=${1:-3}
cluster=cluster/cluster.sh
out=cluster/.work/recovery-bench
jar=driver/target/sparkprop-driver-0.1.0-SNAPSHOT-app.jar
master=$($cluster master-url)
source cluster/lib.sh

start_cluster

# one NAME KILL: a recovery run; with KILL = kill, an executor dies at the kill step
one() {
  if [ "$2" = kill ]; then
    submit "$1" "${recovery_run[@]}" --run-dir "$out/$1" &
    local pid=$!
    kill_at "$out/$1" $recovery_kill_step "$out/$1.log" > /dev/null
    wait $pid
  else
    submit "$1" "${recovery_run[@]}" --run-dir "$out/$1"
  fi
}

printf '%-5s %-16s %15s %15s %7s  %s\n' pair order "no kill (ms)" "kill (ms)" ratio "after the kill"
ratios=()
for p in $(seq 1 "$pairs"); do
  if [ $((p % 2)) = 1 ]; then
    order="no kill, kill"; one clean$p none; one killed$p kill
  else
    order="kill, no kill"; one killed$p kill; one clean$p none
  fi
  c=$(median_step_ms "$out/clean$p")
  k=$(median_step_ms "$out/killed$p")
  r=$(awk -v k="$k" -v c="$c" 'BEGIN { printf "%.2f", c / k }')
  ratios+=("$r")
  spread=$([ -z "$(unspread_windows "$out/killed$p" 2)" ] && echo "both executors, one task each" \
    || echo "NOT spread: $(unspread_windows "$out/killed$p" 2 | head -2 | tr '\n' ' ')")
  same=$(cmp -s "$out/clean$p/model.sprp" "$out/killed$p/model.sprp" && echo "same model" \
    || echo "MODEL DIFFERS")
  printf '%-5s %-16s %15s %15s %7s  %s; %s\n' "$p" "$order" "$c" "$k" "$r" "$spread" "$same"
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END {
  printf "throughput after recovery / without the kill, steps %s: median %.2f x, lowest %.2f x (goal >= 0.8 x)\n",
    w, NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1] }' w="$(window_steps "$out/clean1")"
