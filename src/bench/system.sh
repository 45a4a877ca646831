#!/usr/bin/env bash
# The whole system under a city lobby's load (issue 10): nginx in front of two instances on one
# PostgreSQL, all on 127.0.0.1, driven by one client (se.servicepunkt.bench.SystemBenchmark).
#
#   src/bench/system.sh [--minutes 5] [--scale 1] [--faults] [--only-faults] [--overload]
#                       [--only-overload] [--fault-gap 60] [--smtp-outage 120] [--base-port 18480]
#
# --scale multiplies every count and rate of the scenario (0.2 for a quick run); --faults adds a
# second run during which one instance is killed, PostgreSQL restarted, the LISTEN connection
# killed and SMTP stopped (it lasts at least 5 × fault-gap + smtp-outage seconds); --only-faults
# runs only that one; --overload adds a run at twice the load (--scale doubled) that drops back to
# the normal load 90 s before its end, and reports per 10 s how fast requests are refused and when
# none is refused any more (--only-overload runs only that one). Installs Debian's nginx when it is missing. Everything it starts is stopped
# when it ends (or is interrupted); logs, the nginx configuration and the reports are in
# target/bench/system/.
#
# Environment: API_IN_PROGRESS (nginx's limit_conn, 32); NGINX_PRIORITY (its worker_priority, -10,
# as OPERATIONS.md recommends on a host nginx shares); CLIENT_NICE (the client's niceness, 0: one
# more process on the server's cores; below 0, which needs root, its own timers and reads run
# first, as on the residents' and staff's own devices, but in the morning rush it then takes the
# CPU the instances' garbage collector needs, and their pauses grew to 100-220 ms);
# WARMUP (45: seconds of the scenario at a tenth of its scale at a lobby of its own before the first
# run, so that the instances meet the morning rush with their hot paths compiled, as instances
# that have been running do; 0 measures freshly started ones); WIRE_CAPTURE (1: during the run
# at twice the load, tcpdump records the first packet of each request and answer on nginx's port,
# and the report gives the refusals' times as the loopback saw them, which the client's own clock,
# late on the shared cores, cannot; installs Debian's tcpdump when it is missing; 0: no capture);
# CLIENT_JAVA_OPTS (more JVM options for the client; its collections are logged in client-gc-*.log).
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:-} WIRE_CAPTURE=${WIRE_CAPTURE:-1} API_IN_PROGRESS=${API_IN_PROGRESS:-32} NGINX_PRIORITY=${NGINX_PRIORITY:--10} CLIENT_NICE=${CLIENT_NICE:-0} WARMUP=${WARMUP:-45}
MINUTES=5 SCALE=1 FAULTS=0 OVERLOAD=0 NORMAL=1 FAULT_GAP=60 SMTP_OUTAGE=120 BASE_PORT=18480
while [[ $# -gt 0 ]]; do
  case $1 in
    --minutes) MINUTES=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --faults) FAULTS=1; shift ;;
    --only-faults) FAULTS=1 NORMAL=0; shift ;;
    --overload) OVERLOAD=1; shift ;;
    --only-overload) OVERLOAD=1 NORMAL=0; shift ;;
    --fault-gap) FAULT_GAP=$2; shift 2 ;;
    --smtp-outage) SMTP_OUTAGE=$2; shift 2 ;;
    --base-port) BASE_PORT=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# ---- nginx -------------------------------------------------------------------------------------
NGINX=$(command -v nginx || true)
[[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z $NGINX ]]; then
  echo "installing nginx (Debian's package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  NGINX=/usr/sbin/nginx
fi
"$NGINX" -v

# shellcheck source=src/bench/common.sh
source src/bench/common.sh
DIR=$(pwd)/$OUT/system
rm -rf "$DIR"
mkdir -p "$DIR/nginx-temp"

NGINX_PORT=$BASE_PORT SERVER1_PORT=$((BASE_PORT + 1)) SERVER2_PORT=$((BASE_PORT + 2)) SMTP_PORT=$((BASE_PORT + 3))
for port in $NGINX_PORT $SERVER1_PORT $SERVER2_PORT $SMTP_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is in use; choose others with --base-port" >&2
    exit 1
  fi
done

DB_PID=
PG_DATA=$(pwd)/$OUT/system-postgres
stop_all() {
  [[ -n ${TCPDUMP_PID:-} ]] && kill "$TCPDUMP_PID" 2>/dev/null || true
  [[ -s $DIR/nginx.pid ]] && kill -QUIT "$(cat "$DIR/nginx.pid")" 2>/dev/null || true
  for n in 1 2; do
    [[ -s $DIR/server-$n.pid ]] && kill "$(cat "$DIR/server-$n.pid")" 2>/dev/null || true
  done
  for n in 1 2; do
    [[ -s $DIR/server-$n.pid ]] && while kill -0 "$(cat "$DIR/server-$n.pid")" 2>/dev/null; do sleep 0.2; done
  done
  if [[ -n $DB_PID ]]; then
    kill "$DB_PID" 2>/dev/null || true
    wait "$DB_PID" 2>/dev/null || true
    # after a fault run's restart the postmaster is no longer the embedded database's own
    local postmaster
    postmaster=$(head -1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
    if [[ -n $postmaster ]] && kill -INT "$postmaster" 2>/dev/null; then
      while kill -0 "$postmaster" 2>/dev/null; do sleep 0.2; done
    fi
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
echo "building"
build
start_database system-postgres
cat > "$DIR/env.sh" <<ENV
DIR='$DIR'
DB_URL='$DB_URL'
PG_DATA='$PG_DATA'
JWT_SECRET='system-benchmark-secret-that-is-longer-than-32-bytes'
ADMIN_EMAIL='sysadmin@system.bench'
ADMIN_PASSWORD='system-benchmark-admin-password'
NGINX_PORT=$NGINX_PORT
SERVER1_PORT=$SERVER1_PORT
SERVER2_PORT=$SERVER2_PORT
SMTP_PORT=$SMTP_PORT
ENV
# shellcheck source=/dev/null
source "$DIR/env.sh"
# shellcheck source=src/bench/system-lib.sh
source src/bench/system-lib.sh
echo "PostgreSQL: $DB_URL (data in $PG_DATA)"
start_instance 1
start_instance 2
echo "servers on 127.0.0.1:$SERVER1_PORT and :$SERVER2_PORT (pids $(cat "$DIR/server-1.pid"), $(cat "$DIR/server-2.pid"))"

# The configuration docs/OPERATIONS.md recommends, with this run's ports and paths.
cat > "$DIR/nginx.conf" <<NGINX_CONF
worker_processes auto;
# nginx's workers before the instances and PostgreSQL on a shared host: at twice the load the
# refusal nginx makes in under a millisecond otherwise waits for a core (OPERATIONS.md).
worker_priority $NGINX_PRIORITY;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;

events {
  worker_connections 8192;
}

http {
  access_log off;
  # The harness's own addition: each API request's time as nginx saw it (request_time, first byte
  # read to last byte sent) and as the instance took it (upstream_response_time), so the report can
  # tell the server's share from the client's (streams are not logged).
  log_format timing '\$request_method \$uri \$status \$request_time \$upstream_response_time \$msec';
  client_body_temp_path $DIR/nginx-temp/body;
  proxy_temp_path $DIR/nginx-temp/proxy;
  fastcgi_temp_path $DIR/nginx-temp/fastcgi;
  uwsgi_temp_path $DIR/nginx-temp/uwsgi;
  scgi_temp_path $DIR/nginx-temp/scgi;

  # At most this many API requests (streams aside) in progress at the instances together; the
  # next is refused by nginx at once (503 with Retry-After) instead of waiting for a busy instance.
  limit_conn_zone \$server_port zone=servicepunkt_api:1m;

  upstream servicepunkt {
    server 127.0.0.1:$SERVER1_PORT max_fails=0;
    server 127.0.0.1:$SERVER2_PORT max_fails=0;
    keepalive 64;
  }

  server {
    listen 127.0.0.1:$NGINX_PORT;
    client_max_body_size 256k;

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Real-IP \$remote_addr;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_connect_timeout 2s;
    proxy_send_timeout 30s;
    proxy_read_timeout 60s;
    proxy_next_upstream error;

    location ~ ^/api/v1/.+/events\$ {
      proxy_pass http://servicepunkt;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 60s;
    }

    location / {
      proxy_pass http://servicepunkt;
      limit_conn servicepunkt_api $API_IN_PROGRESS;
      limit_conn_status 503;
      access_log $DIR/timing.log timing buffer=256k flush=1s;
    }

    # nginx's own refusals (limit_conn) as the instances answer theirs: problem+json and Retry-After.
    # Only nginx's own 503s come here: an instance's answers pass through as they are.
    error_page 503 @busy;
    location @busy {
      access_log $DIR/timing.log timing buffer=256k flush=1s;
      default_type application/problem+json;
      add_header Retry-After 1 always;
      return 503 '{"type":"about:blank","title":"Service unavailable","status":503,"detail":"The server is busy at this moment; try again shortly."}';
    }
  }
}
NGINX_CONF
"$NGINX" -t -q -c "$DIR/nginx.conf" -p "$DIR/"
"$NGINX" -c "$DIR/nginx.conf" -p "$DIR/" -g 'daemon off;' &
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/health/ready" >/dev/null && break; sleep 0.2; done
echo "nginx on 127.0.0.1:$NGINX_PORT (pid $(cat "$DIR/nginx.pid")), ready after $(( $(date +%s) - started )) s"

WARMED=0
client() { # LABEL FAULTS [more options]
  local label=$1 faults=$2 warmup=0
  shift 2
  # the first run warms the freshly started instances up first (WARMUP seconds, see SystemBenchmark)
  [[ $WARMED == 0 ]] && warmup=$WARMUP && WARMED=1
  # the client's own collections logged, to tell its pauses (no request sent, then a burst) from the server's
  nice -n "$CLIENT_NICE" java -Xmx3g $CLIENT_JAVA_OPTS -Xlog:gc:file="$DIR/client-gc-$label.log":time,uptime \
    -cp "$CP" se.servicepunkt.bench.SystemBenchmark --port "$NGINX_PORT" --db "$DB_URL" --dir "$DIR" \
    --pg-data "$PG_DATA" --smtp-port "$SMTP_PORT" --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" \
    --minutes "$MINUTES" --scale "$SCALE" --faults "$faults" --fault-gap "$FAULT_GAP" --smtp-outage "$SMTP_OUTAGE" \
    --warmup "$warmup" "$@" 2>&1 | tee "$DIR/report-$label.txt"
}
[[ $NORMAL == 1 ]] && client run 0
if [[ $OVERLOAD == 1 ]]; then
  # The refusals' times as the loopback saw them (WireTimings): tcpdump keeps only the packets that
  # start a request or an answer on nginx's port, so it costs little however many frames stream.
  WIRE=()
  if [[ $WIRE_CAPTURE == 1 ]]; then
    if ! command -v tcpdump >/dev/null; then
      echo "installing tcpdump (Debian's package)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpdump >/dev/null
    fi
    FILTER=$(java -cp "$CP" se.servicepunkt.bench.WireTimings)
    tcpdump -Z root -i lo -s 256 -U -n -w "$DIR/wire-overload.pcap" "tcp port $NGINX_PORT and $FILTER" 2>"$DIR/tcpdump.log" &
    TCPDUMP_PID=$!
    WIRE=(--wire "$DIR/wire-overload.pcap")
    sleep 1
  fi
  client overload 0 --scale "$(awk "BEGIN { print 2 * $SCALE }")" --drop-at "$(awk "BEGIN { print $MINUTES * 60 - 90 }")" "${WIRE[@]}"
  [[ -n ${TCPDUMP_PID:-} ]] && kill "$TCPDUMP_PID" 2>/dev/null || true
fi
[[ $FAULTS == 1 ]] && client faults 1
echo "reports in $DIR/report-*.txt; the whole command took $(( $(date +%s) - started )) s"
