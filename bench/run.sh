#!/usr/bin/env bash
# Runs the benchmarks and prints medians. Usage: bench/run.sh BUILD_DIR [RUNS]
# The prepared books are kept in $COBRADOR_BENCH_DIR (default /tmp/cobrador-bench) and reused.
set -euo pipefail
build=${1:-build}
runs=${2:-5}
dir=${COBRADOR_BENCH_DIR:-/tmp/cobrador-bench}
bench="$build/bench/walk_bench"

if [ ! -f "$dir/book-2026-06-15.db" ]; then
  echo "preparing the book (200,000 customers, 1,000,000 invoices) in $dir ..."
  "$bench" prepare "$dir" 2>/dev/null
fi

# One walk per run, each on a fresh copy of the prepared file, in a process of its own.
walk_runs() {
  local book=$1 day=$2
  for _ in $(seq "$runs"); do
    cp "$dir/$book" "$dir/run.db"
    rm -f "$dir/run.db-wal" "$dir/run.db-shm"
    "$bench" walk "$dir/run.db" "$day"
  done
  rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
}

summarise() {
  python3 -c '
import json, statistics, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
secs = [r["seconds"] for r in rows]
rss = [r["max_rss_kb"] / 1024 for r in rows]
evaluated, actions = rows[0]["evaluated"], rows[0]["actions"]
median, low, high = statistics.median(secs), min(secs), max(secs)
print(f"{sys.argv[1]}: {evaluated} customers evaluated, {actions} actions; "
      f"median {median:.3f} s (min {low:.3f}, max {high:.3f}) over {len(rows)} runs; "
      f"peak RSS median {statistics.median(rss):.1f} MB; target {sys.argv[2]}")
' "$1" "$2"
}

walk_runs book-2026-06-03.db 2026-06-04 | summarise "busy day 2026-06-04 (June reminders)" "< 2 s, < 64 MB"
walk_runs book-2026-06-15.db 2026-06-16 | summarise "quiet day 2026-06-16 (nothing due)" "< 0.2 s"
