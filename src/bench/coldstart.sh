#!/usr/bin/env bash
# Cold start of the packaged server against an already-running PostgreSQL, and its idle memory.
#
#   src/bench/coldstart.sh [RUNS]        (default 10 runs)
#
# Starts one PostgreSQL (the embedded one, in its own JVM) and migrates it once, then RUNS times:
# spawns `java -jar target/servicepunkt.jar`, polls /health/ready until 200, records the wall time
# from spawn and the server's own "ready N ms after the JVM started", waits 10 s idle, reads VmRSS
# from /proc, and stops the server with SIGTERM. Prints one line per run and a summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-10}
JAVA_OPTS=${JAVA_OPTS:-}
PORT=${PORT:-18080}
# shellcheck source=src/bench/common.sh
source src/bench/common.sh

build
DB_PID=
trap 'kill $DB_PID 2>/dev/null || true' EXIT
start_database postgres
export SP_DB_URL=$DB_URL
export SP_JWT_SECRET=benchmark-secret-that-is-at-least-32-bytes
export SP_HTTP_PORT=$PORT SP_HTTP_HOST=127.0.0.1

start_server() { # sets PID
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar target/servicepunkt.jar > "$OUT/server.log" 2>&1 &
  PID=$!
}

# Migrate once so that every measured run starts against an existing schema.
start_server
until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null; do sleep 0.2; done
kill -TERM "$PID"; wait "$PID" || true

echo "run  wall_ms  jvm_ready_ms  idle_rss_mb"
: > "$OUT/coldstart.tsv"
for run in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  start_server
  until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null; do sleep 0.01; done
  t1=$(date +%s%N)
  wall=$(( (t1 - t0) / 1000000 ))
  sleep 10
  ready=$(grep -o 'Ready [0-9]* ms' "$OUT/server.log" | grep -o '[0-9]*')
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")
  kill -TERM "$PID"; wait "$PID" || true
  printf "%3d  %7d  %12d  %11d\n" "$run" "$wall" "$ready" "$rss" | tee -a "$OUT/coldstart.tsv"
done

summary() { # column name
  sort -n | awk -v name="$1" '{v[NR]=$1} END {printf "%-13s median %5d  p90 %5d  max %5d\n", name, v[int((NR+1)/2)], v[int(NR*0.9+0.5)], v[NR]}'
}
awk '{print $2}' "$OUT/coldstart.tsv" | summary "wall ms"
awk '{print $3}' "$OUT/coldstart.tsv" | summary "jvm->ready ms"
awk '{print $4}' "$OUT/coldstart.tsv" | summary "idle RSS MB"
