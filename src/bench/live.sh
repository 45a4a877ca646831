#!/usr/bin/env bash
# Live queue benchmark: SSE screens held by one server instance, and call-next → screen latency.
#
#   src/bench/live.sh [--screens 10000] [--points 34] [--calls 100]
#
# Busy lobbies (issue 12): counter consoles (staff streams) and screens, every counter calling the
# next visitor every 2 s; call → other consoles and screens p50/p99, and the server's RSS:
#
#   src/bench/live.sh --consoles 200 --screens 50 [--points 10] [--seconds 60] [--every-ms 2000]
#
# Starts one PostgreSQL (the embedded one, in its own JVM), then the packaged server
# (`java $JAVA_OPTS -jar target/servicepunkt.jar`, default configuration), then the client
# (se.servicepunkt.bench.LiveBenchmark) in a third JVM, which measures the server's RSS from /proc.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_OPTS=${JAVA_OPTS:-}
PORT=${PORT:-18081}
# shellcheck source=src/bench/common.sh
source src/bench/common.sh

build
SERVER_PID=
DB_PID=
trap 'kill $SERVER_PID 2>/dev/null || true; kill $DB_PID 2>/dev/null || true' EXIT
start_database live-postgres

ADMIN_EMAIL=bench-admin@bench.example
ADMIN_PASSWORD=bench-admin-password
# Every screen connects from 127.0.0.1 and many share a point's display token: lift the
# per-address and per-display stream caps and the per-address limit of residents' writes, which
# protect against exactly that in production.
# shellcheck disable=SC2086
SP_STREAMS_PER_ADDRESS=1000000 SP_STREAMS_PER_DISPLAY=100000 SP_RESIDENT_WRITES_PER_MINUTE=1000000 \
SP_DB_URL=$DB_URL SP_JWT_SECRET=benchmark-secret-that-is-at-least-32-bytes SP_HTTP_PORT=$PORT \
  SP_HTTP_HOST=127.0.0.1 SP_ADMIN_EMAIL=$ADMIN_EMAIL SP_ADMIN_PASSWORD=$ADMIN_PASSWORD \
  java $JAVA_OPTS -jar target/servicepunkt.jar > "$OUT/live-server.log" 2>&1 &
SERVER_PID=$!
until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null; do sleep 0.2; done

java -cp "$CP" se.servicepunkt.bench.LiveBenchmark --port "$PORT" --pid "$SERVER_PID" --db "$DB_URL" \
  --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" "$@"
