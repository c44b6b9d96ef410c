#!/usr/bin/env bash
# A real Spark 3.5.7 standalone cluster on 127.0.0.1, assembled from the Maven jars the build
# uses (no Spark distribution needed): a master, N workers, executors in JVMs of their own.
#
#   cluster/cluster.sh setup                   build cluster/.work/spark-home (once; ~1 min)
#   cluster/cluster.sh start [N] [CORES] [MEM] start a master and N workers (default 2 1 2g);
#                                              with CLUSTER_SECRET set, all of it authenticates
#   cluster/cluster.sh submit ARGS...          spark-submit against this SPARK_HOME
#   cluster/cluster.sh executors               the pids of the running executor JVMs
#   cluster/cluster.sh kill-executor           kill -9 the executor JVM that used the most CPU
#                                              (it computes on cached data; oldest on a tie)
#   cluster/cluster.sh stop                    stop everything started here
#
# Ports: master 127.0.0.1:$CLUSTER_MASTER_PORT (default 17077), its UI :$CLUSTER_UI_PORT (18080).
# Everything generated lives in cluster/.work (git-ignored): spark-home/, logs/, pids/, worker-N/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
work="${CLUSTER_WORK:-$here/.work}"
export SPARK_HOME="$work/spark-home"
export SPARK_CONF_DIR="$SPARK_HOME/conf"
export SPARK_SCALA_VERSION=2.12
# Loopback only: RPC endpoints, block managers and web UIs (WebUI binds to SPARK_LOCAL_IP).
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=127.0.0.1
MASTER_PORT="${CLUSTER_MASTER_PORT:-17077}"
UI_PORT="${CLUSTER_UI_PORT:-18080}"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
pids="$work/pids"
logs="$work/logs"

# Spark 3.5 runs on Java 17 (and 8/11/21), not newer: prefer the JDK 17 the build uses.
if [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi

# The module options Spark's launcher adds for the driver; the daemons need them too.
MODULE_OPTS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
export SPARK_DAEMON_MEMORY="${SPARK_DAEMON_MEMORY:-512m}"

die() { echo "cluster.sh: $*" >&2; exit 1; }

# alive PID CLASS: PID runs and its command line names CLASS (never act on a recycled pid).
alive() {
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q -- "$2"
}

# The executor JVMs whose parent is one of this cluster's workers, oldest first.
executors() {
  local wf w p
  for wf in "$pids"/worker-*.pid; do
    [ -f "$wf" ] || continue
    w=$(cat "$wf")
    alive "$w" org.apache.spark.deploy.worker.Worker || continue
    for p in $(ps -o pid= --ppid "$w" 2>/dev/null); do
      alive "$p" CoarseGrainedExecutorBackend && echo "$p"
    done
  done | sort -n
}

# The executor that has used the most CPU time: the one computing on cached partitions. An
# executor that registered late may hold no data (it all went to the first one), and killing it
# would lose nothing. (Executors log at WARN here, so their logs do not show their tasks.)
busiest_executor() {
  local p ticks best="" most=-1
  for p in $(executors); do
    # utime + stime: fields 14 and 15 of /proc/PID/stat (the command name, field 2, has no
    # spaces for a JVM)
    ticks=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
    if [ "${ticks:-0}" -gt "$most" ]; then best=$p; most=${ticks:-0}; fi
  done
  echo "$best $(( most / $(getconf CLK_TCK) ))"
}

setup() {
  local t0=$SECONDS
  mkdir -p "$SPARK_HOME"/{jars,conf,bin} "$pids" "$logs"
  rm -f "$SPARK_HOME"/jars/*.jar
  (cd "$root" && ./mvnw -B -q -f cluster/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$SPARK_HOME/jars")
  for j in slf4j-api-2.0.7.jar spark-core_2.12-3.5.7.jar spark-launcher_2.12-3.5.7.jar \
      spark-mllib_2.12-3.5.7.jar; do
    [ -f "$SPARK_HOME/jars/$j" ] || die "setup: $j is missing from $SPARK_HOME/jars"
  done
  cat > "$SPARK_CONF_DIR/log4j2.properties" <<'LOG'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.nativecode.name = org.apache.hadoop.util.NativeCodeLoader
logger.nativecode.level = error
LOG
  cat > "$SPARK_HOME/bin/load-spark-env.sh" <<'ENV'
#!/usr/bin/env bash
# Stand-in for Spark's bin/load-spark-env.sh (not on Maven Central).
export SPARK_HOME="${SPARK_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export SPARK_CONF_DIR="${SPARK_CONF_DIR:-$SPARK_HOME/conf}"
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.12}"
ENV
  # Spark's bin/spark-class protocol: the launcher library prints the java command, NUL-separated.
  cat > "$SPARK_HOME/bin/spark-class" <<'CLASS'
#!/usr/bin/env bash
export SPARK_HOME="${SPARK_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
. "$SPARK_HOME/bin/load-spark-env.sh"
RUNNER="${JAVA_HOME:+$JAVA_HOME/bin/}java"
build_command() {
  "$RUNNER" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"
  printf "%d\0" $?
}
# The launcher may print messages (lines) first; the command follows a line holding "\0".
CMD=()
DELIM=$'\n'
STARTED=false
while IFS= read -d "$DELIM" -r ARG; do
  if [ "$STARTED" = true ]; then
    CMD+=("$ARG")
  elif [ "$ARG" = $'\0' ]; then
    DELIM=''
    STARTED=true
  elif [ -n "$ARG" ]; then
    echo "$ARG"
  fi
done < <(build_command "$@")
LAST=$((${#CMD[@]} - 1))
CODE=${CMD[$LAST]:-1}
[ "$CODE" = 0 ] || exit "$CODE"
exec "${CMD[@]:0:$LAST}"
CLASS
  printf '#!/usr/bin/env bash\nexec "$(dirname "$0")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"\n' \
    > "$SPARK_HOME/bin/spark-submit"
  chmod +x "$SPARK_HOME"/bin/*
  echo "cluster.sh: $SPARK_HOME ready ($(ls "$SPARK_HOME"/jars | wc -l) jars) in $((SECONDS - t0)) s"
}

# daemon NAME CLASS ARGS...: a detached JVM; its pid in pids/NAME.pid, its output in logs/.
daemon() {
  local name=$1; shift
  : > "$logs/$name.out"
  setsid nohup "$SPARK_HOME/bin/spark-class" "$@" >> "$logs/$name.out" 2>&1 < /dev/null &
  echo $! > "$pids/$name.pid"
}

start() {
  local n=${1:-2} cores=${2:-1} mem=${3:-2g} t0=$SECONDS i
  [ -x "$SPARK_HOME/bin/spark-class" ] || die "not set up: run cluster/cluster.sh setup"
  mkdir -p "$pids" "$logs"
  for f in "$pids"/*.pid; do
    [ -f "$f" ] || continue
    alive "$(cat "$f")" org.apache.spark.deploy && die "already running: cluster/cluster.sh stop"
    rm -f "$f"
  done
  # The daemons log at INFO (start waits for "Registering worker"); applications at WARN.
  cp "$SPARK_CONF_DIR/log4j2.properties" "$work/daemon-log4j2.properties"
  sed -i 's/^rootLogger.level = warn/rootLogger.level = info/' "$work/daemon-log4j2.properties"
  export SPARK_DAEMON_JAVA_OPTS="$MODULE_OPTS -Dlog4j2.configurationFile=$work/daemon-log4j2.properties"
  if [ -n "${CLUSTER_SECRET:-}" ]; then
    SPARK_DAEMON_JAVA_OPTS+=" -Dspark.authenticate=true -Dspark.authenticate.secret=$CLUSTER_SECRET"
    SPARK_DAEMON_JAVA_OPTS+=" -Dspark.network.crypto.enabled=true"
  fi
  daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" \
    --webui-port "$UI_PORT"
  for i in $(seq 1 "$n"); do
    mkdir -p "$work/worker-$i"
    daemon "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 \
      --webui-port 0 --cores "$cores" --memory "$mem" --work-dir "$work/worker-$i" "$MASTER_URL"
  done
  while [ "$(grep -c 'Registering worker' "$logs/master.out" 2>/dev/null || true)" -lt "$n" ]; do
    alive "$(cat "$pids/master.pid")" deploy.master.Master || die "the master exited: $logs/master.out"
    [ $((SECONDS - t0)) -lt 120 ] || die "workers not registered after 120 s: $logs/"
    sleep 0.5
  done
  echo "cluster.sh: $MASTER_URL with $n workers x $cores core(s), $mem, up in $((SECONDS - t0)) s"
}

stop() {
  local f p
  for p in $(executors); do kill -9 "$p" 2>/dev/null || true; done
  for f in "$pids"/worker-*.pid "$pids"/master.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    if alive "$p" org.apache.spark.deploy; then
      kill "$p" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$p" org.apache.spark.deploy || break; sleep 0.2; done
      alive "$p" org.apache.spark.deploy && kill -9 "$p" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  echo "cluster.sh: stopped"
}

case "${1:-}" in
  setup) setup ;;
  start) shift; start "$@" ;;
  stop) stop ;;
  submit) shift; exec "$SPARK_HOME/bin/spark-submit" "$@" ;;
  executors) executors ;;
  kill-executor)
    read -r victim cpu < <(busiest_executor)
    [ -n "$victim" ] || die "no executor is running"
    kill -9 "$victim"
    echo "cluster.sh: killed executor pid $victim (after $cpu s of CPU)" ;;
  master-url) echo "$MASTER_URL" ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
