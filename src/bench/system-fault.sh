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
    # The same server on the same data folder and port: pg_ctl restart reuses the options the
    # embedded PostgreSQL was started with (postmaster.opts: port, durability settings).
    bin=$(dirname "$(cut -d' ' -f1 "$PG_DATA/postmaster.opts")")
    "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 -l "$DIR/postgres-restart.log" restart ;;
  *)
    echo "unknown action $2" >&2; exit 2 ;;
esac
