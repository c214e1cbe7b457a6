#!/usr/bin/env bash
# The scale-out benchmark (issue 9), on a throwaway PostgreSQL cluster of its own:
#  1. dispatch throughput with 1, 2 and 3 dispatchers (separate processes, as separate
#     daemons would be) draining ACTIONS suspensions from one PostgreSQL outbox against a
#     loopback webhook panel, 64 calls at once each;
#  2. the walk of a busy day (2026-06-04) at 200,000 customers / 1,000,000 invoices on
#     PostgreSQL and on SQLite, alternated in the same run: time, peak RSS, ratio.
# Usage: bench/scale_bench.sh BUILD_DIR [RUNS] [ACTIONS]       (3, 20000)
# The SQLite book comes from walk_bench (kept in $COBRADOR_BENCH_DIR, default /tmp/cobrador-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
runs=${2:-3}
actions=${3:-20000}
dir=${COBRADOR_BENCH_DIR:-/tmp/cobrador-bench}
scale="$build/bench/scale_bench"
walk="$build/bench/walk_bench"
pg=/tmp/cobrador-scale-pg
work=$(mktemp -d /tmp/cobrador-scale-XXXXXX)
cluster() { "$root/tests/support/pg_cluster.sh" "$@" >/dev/null; }
admin() { psql -h "$pg" -U postgres -d postgres -qAt -c "$1"; }
uri() { echo "postgresql:///$1?host=$pg&user=postgres"; }

cluster start "$pg"
"$scale" serve > "$work/panel.url" 2>"$work/panel.log" &
server=$!
trap 'kill $server 2>/dev/null || true; cluster stop "$pg" || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/panel.url" ] && break; sleep 0.1; done
panel=$(cat "$work/panel.url")
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. dispatch with 1, 2, 3 dispatchers ----
admin "CREATE DATABASE dispatch_book"
"$scale" prepare "$(uri dispatch_book)" "$actions"
for daemons in 1 2 3; do
  for _ in $(seq "$runs"); do
    admin "DROP DATABASE IF EXISTS dispatch_run WITH (FORCE)"
    admin "CREATE DATABASE dispatch_run TEMPLATE dispatch_book"
    started=$(date +%s%N)
    pids=()
    for i in $(seq "$daemons"); do
      "$scale" drain "$(uri dispatch_run)" "$panel" "bench-$i" 64 > "$work/drain.$i" &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    ended=$(date +%s%N)
    done_count=$(psql -h "$pg" -U postgres -d dispatch_run -qAt -c "SELECT COUNT(*) FROM actions WHERE state = 'done'")
    echo "{\"daemons\": $daemons, \"seconds\": $(( (ended - started) / 1000000 ))e-3, \"done\": $done_count}"
  done
done | python3 -c '
import json, statistics, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
base = None
for n in (1, 2, 3):
    mine = [r for r in rows if r["daemons"] == n]
    rates = [r["done"] / r["seconds"] for r in mine]
    median = statistics.median(rates)
    base = base or median
    done = mine[0]["done"]
    print(f"dispatch, {n} dispatcher(s) on one PostgreSQL: {done} actions; median {median:,.0f} actions/s "
          f"(min {min(rates):,.0f}, max {max(rates):,.0f}) over {len(mine)} runs; x{median / base:.2f} of one")
'

# ---- 2. the walk of a busy day, PostgreSQL beside SQLite ----
if [ ! -f "$dir/book-2026-06-03.db" ]; then
  echo "preparing the book (200,000 customers, 1,000,000 invoices) in $dir ..."
  "$walk" prepare "$dir" 2>/dev/null
fi
admin "CREATE DATABASE walk_book"
copy_started=$(date +%s)
"$scale" copy "$dir/book-2026-06-03.db" "$(uri walk_book)" 2>"$work/copy.log"
echo "copied the book into PostgreSQL in $(( $(date +%s) - copy_started )) s ($(cat "$work/copy.log"))"
for _ in $(seq "$runs"); do
  cp "$dir/book-2026-06-03.db" "$work/run.db"
  rm -f "$work/run.db-wal" "$work/run.db-shm"
  echo "sqlite $("$walk" walk "$work/run.db" 2026-06-04)"
  admin "DROP DATABASE IF EXISTS walk_run WITH (FORCE)"
  admin "CREATE DATABASE walk_run TEMPLATE walk_book"
  echo "postgresql $("$walk" walk "$(uri walk_run)" 2026-06-04)"
done | python3 -c '
import json, statistics, sys
rows = {"sqlite": [], "postgresql": []}
for line in sys.stdin:
    store, _, text = line.partition(" ")
    rows[store].append(json.loads(text))
median = {s: statistics.median(r["seconds"] for r in rows[s]) for s in rows}
rss = {s: statistics.median(r["max_rss_kb"] / 1024 for r in rows[s]) for s in rows}
for s in ("sqlite", "postgresql"):
    secs = [r["seconds"] for r in rows[s]]
    evaluated, queued = rows[s][0]["evaluated"], rows[s][0]["actions"]
    print(f"walk 2026-06-04 on {s}: {evaluated} customers evaluated, {queued} actions; "
          f"median {median[s]:.2f} s (min {min(secs):.2f}, max {max(secs):.2f}), peak RSS median {rss[s]:.1f} MB")
time_ratio = median["postgresql"] / median["sqlite"]
rss_ratio = rss["postgresql"] / rss["sqlite"]
print(f"walk ratio PostgreSQL / SQLite: {time_ratio:.2f} x the time, {rss_ratio:.2f} x the peak RSS")
'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
