#!/usr/bin/env bash
# Residents' pages under 50 concurrent users (issue 11): the start page and a day's list of times,
# answer times p50/p95/p99 measured by the client on loopback.
#
#   src/bench/pages.sh [--users 50] [--seconds 60] [--think-ms 0]
#
# Starts one durable PostgreSQL (the embedded one, in its own JVM), then the packaged server with the
# demo data (`java -Xms256m -Xmx512m -jar target/servicepunkt.jar`, SP_DEMO=true), then the client
# (se.servicepunkt.bench.PagesBenchmark) in a third JVM.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18091}
# shellcheck source=src/bench/common.sh
source src/bench/common.sh

build
SERVER_PID=
DB_PID=
trap 'kill $SERVER_PID 2>/dev/null || true; kill $DB_PID 2>/dev/null || true' EXIT
start_database pages-postgres
SP_DB_URL=$DB_URL SP_JWT_SECRET=benchmark-secret-that-is-at-least-32-bytes SP_HTTP_PORT=$PORT \
  SP_HTTP_HOST=127.0.0.1 SP_DEMO=true SP_DATA_DIR="$OUT/pages-data" \
  java -Xms256m -Xmx512m -jar target/servicepunkt.jar > "$OUT/pages-server.log" 2>&1 &
SERVER_PID=$!
until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null; do sleep 0.2; done

java -cp "$CP" se.servicepunkt.bench.PagesBenchmark --port "$PORT" --db "$DB_URL" "$@"
