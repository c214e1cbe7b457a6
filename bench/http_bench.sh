#!/bin/sh
# The HTTP API benchmark (issue 4): wrk on loopback against bench/api_server, which runs the
# same http::Server that cobradord embeds. Reports requests/s and p99 latency, medians of
# RUNS runs, for
#   GET /healthz
#   POST /v1/payments signed by a bank source (Standard Webhooks), each a new confirmed
#     payment durably committed (synchronous=FULL, group commit) before its 201.
# Every payment run starts from a fresh copy of the prepared database; any answer other than
# 201 is reported (and would make the run's figure meaningless).
#
# Usage: bench/http_bench.sh [BUILD_DIR]   (env: RUNS=5 DURATION=10s CONNECTIONS=16 THREADS=2)
#
# 16 connections: wrk is a closed loop, so the connection count is the number of requests in
# flight. 16 already drive the payments past the 5,000/s target (7-8k/s here); 64 push the
# server to saturation (~10k/s), where every disk stall of tens of ms (an ext4 journal commit
# of the checkpoint's fsync) holds all 64 requests at once and decides the p99.
set -eu

BUILD=${1:-build}
RUNS=${RUNS:-5}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
INVOICES=${INVOICES:-50000}
SIGNED=${SIGNED:-150000}   # per wrk thread and run; far more than a run sends
HERE=$(cd "$(dirname "$0")" && pwd)
SERVER="$BUILD/bench/api_server"
WORK=$(mktemp -d /tmp/cobrador-http-bench.XXXXXX)
PID=""

cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

start_server() {
  "$SERVER" serve "$WORK/run" 2>"$WORK/server.log" &
  PID=$!
  for _ in $(seq 100); do
    if curl -fs http://127.0.0.1:18417/healthz >/dev/null 2>&1; then return 0; fi
    sleep 0.05
  done
  echo "api_server did not start:" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

stop_server() {
  kill "$PID"
  wait "$PID" || true
  PID=""
}

# "Requests/sec: 31234.56" and the "99%" line of --latency, in ms.
rate_of() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99_of() {
  awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)}
       else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.2f\n", v}' "$1"
}
median() { sort -n | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# The disk's own fsync latency, before and after: a durable commit cannot be faster.
"$SERVER" fsync-probe "$WORK/probe" >"$WORK/fsync.before"
echo "preparing $INVOICES invoices in $WORK" >&2
"$SERVER" prepare "$WORK/prepared" "$INVOICES"

: >"$WORK/healthz.rates"; : >"$WORK/healthz.p99"
: >"$WORK/payments.rates"; : >"$WORK/payments.p99"
for run in $(seq "$RUNS"); do
  rm -rf "$WORK/run"; cp -r "$WORK/prepared" "$WORK/run"
  start_server
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency http://127.0.0.1:18417/healthz >"$WORK/healthz.$run"
  rate_of "$WORK/healthz.$run" >>"$WORK/healthz.rates"
  p99_of "$WORK/healthz.$run" >>"$WORK/healthz.p99"
  echo "run $run healthz:  $(tail -1 "$WORK/healthz.rates") req/s, p99 $(tail -1 "$WORK/healthz.p99") ms" >&2

  for t in $(seq 0 $((THREADS - 1))); do "$SERVER" sign "$WORK/run" "$WORK/payments.signed.$t" "$SIGNED"; done
  PAYMENTS_FILE="$WORK/payments.signed" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
    -s "$HERE/http_payments.lua" http://127.0.0.1:18417/v1/payments >"$WORK/payments.$run"
  rate_of "$WORK/payments.$run" >>"$WORK/payments.rates"
  p99_of "$WORK/payments.$run" >>"$WORK/payments.p99"
  other=$(awk '/^other:/ {print $2}' "$WORK/payments.$run")
  created=$(awk '/^created:/ {print $2}' "$WORK/payments.$run")
  stop_server
  stored=$(sqlite3 "$WORK/run/cobrador.db" "SELECT COUNT(*) FROM payments" 2>/dev/null || echo "?")
  echo "run $run payments: $(tail -1 "$WORK/payments.rates") req/s, p99 $(tail -1 "$WORK/payments.p99") ms," \
       "201: $created, other: $other, rows after stop: $stored" >&2
  if [ "$other" != "0" ]; then echo "warning: run $run had $other answers that were not 201" >&2; fi
done

"$SERVER" fsync-probe "$WORK/probe" >"$WORK/fsync.after"
echo "disk before: $(cat "$WORK/fsync.before")"
echo "disk after:  $(cat "$WORK/fsync.after")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (other processes share this machine)"
echo "GET /healthz:              $(median <"$WORK/healthz.rates") req/s, p99 $(median <"$WORK/healthz.p99") ms (median of $RUNS)"
echo "POST /v1/payments, signed: $(median <"$WORK/payments.rates") req/s, p99 $(median <"$WORK/payments.p99") ms (median of $RUNS; each a committed payment)"
