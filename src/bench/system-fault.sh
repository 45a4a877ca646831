#!/usr/bin/env bash
# The fault run's actions on the processes of src/bench/system.sh (called by SystemBenchmark):
#
#   src/bench/system-fault.sh DIR kill-instance | start-instance | restart-database
#
# DIR is the run's folder (target/bench/system) with env.sh and the pid files.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=$1
# shellcheck source=/dev/null
source "$DIR/env.sh"
# shellcheck source=src/bench/system-lib.sh
source src/bench/system-lib.sh

case $2 in
  kill-instance)
    kill -9 "$(cat "$DIR/server-1.pid")" ;;
  start-instance)
    start_instance 1 ;;
  restart-database)
    # The same server on the same data folder and port: a fast shutdown (SIGINT to the
    # postmaster; pg_ctl refuses to run as root), then the postmaster started again with the
    # command line the embedded PostgreSQL was started with (postmaster.opts: port, durability),
    # in a user namespace as the embedded library starts it (`unshare -U`: PostgreSQL refuses root).
    pid=$(head -1 "$PG_DATA/postmaster.pid")
    kill -INT "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    eval "set -- $(cat "$PG_DATA/postmaster.opts")"
    if [[ $(id -u) == 0 ]]; then set -- unshare -U "$@"; fi
    setsid "$@" >> "$DIR/postgres-restart.log" 2>&1 < /dev/null &
    for _ in $(seq 1 600); do
      [[ -s $PG_DATA/postmaster.pid && $(sed -n 8p "$PG_DATA/postmaster.pid" 2>/dev/null) == ready* ]] && exit 0
      sleep 0.1
    done
    echo "PostgreSQL did not come back within 60 s" >&2
    exit 1 ;;
  *)
    echo "unknown action $2" >&2; exit 2 ;;
esac
