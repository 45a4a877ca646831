# Shared by system.sh and system-fault.sh: the run's settings live in $DIR/env.sh (written by
# system.sh), and an instance is started the same way at the beginning and after a fault. Every
# visitor and screen of the load comes from 127.0.0.1 (forwarded by nginx), so the per-address
# stream cap and the per-address limit of residents' writes are lifted; the per-ticket, per-display and per-instance caps stay at their defaults.
# BENCH_JAVA_OPTS adds JVM options to both instances, "{n}" in them replaced by the instance's number
# (e.g. a flight recording to profile a run: filename=/tmp/server-{n}.jfr).
# shellcheck disable=SC2154

start_instance() { # N: starts server N (1 or 2) on its port and waits until it is ready
  local n=$1 port opts=${BENCH_JAVA_OPTS:-}
  opts=${opts//\{n\}/$n}
  port=$(( n == 1 ? SERVER1_PORT : SERVER2_PORT ))
  SP_DB_URL=$DB_URL SP_JWT_SECRET=$JWT_SECRET SP_HTTP_HOST=127.0.0.1 SP_HTTP_PORT=$port \
    SP_PUBLIC_URL="http://127.0.0.1:$NGINX_PORT" SP_DEMO=false \
    SP_ADMIN_EMAIL=$ADMIN_EMAIL SP_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    SP_SMTP_HOST=127.0.0.1 SP_SMTP_PORT=$SMTP_PORT SP_SMTP_TLS=none SP_MAIL_FROM='Servicepunkt <no-reply@system.bench>' \
    SP_STREAMS_PER_ADDRESS=100000 SP_RESIDENT_WRITES_PER_MINUTE=1000000 \
    java -Xms256m -Xmx512m $opts -jar target/servicepunkt.jar >> "$DIR/server-$n.log" 2>&1 &
  echo $! > "$DIR/server-$n.pid"
  disown # stopped by its pid file (a fault may kill it), not as a job of this shell
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return 0
    kill -0 "$(cat "$DIR/server-$n.pid")" 2>/dev/null || { echo "server $n did not start; see $DIR/server-$n.log" >&2; return 1; }
    sleep 0.5
  done
  echo "server $n not ready after 120 s" >&2
  return 1
}
