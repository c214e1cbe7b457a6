#!/usr/bin/env bash
# Imports a camt.053 of 100,000 entries against 200,000 open invoices several times, each on a
# fresh copy of the prepared book in a process of its own, and prints the medians.
# Usage: bench/bank_bench.sh BUILD_DIR [RUNS]
# The prepared files are kept in $COBRADOR_BENCH_DIR (default /tmp/cobrador-bench) and reused.
set -euo pipefail
build=${1:-build}
runs=${2:-5}
dir=${COBRADOR_BENCH_DIR:-/tmp/cobrador-bench}
bench="$build/bench/bank_bench"

if [ ! -f "$dir/bank-book.db" ] || [ ! -f "$dir/statement-100k.xml" ]; then
  echo "preparing the book (200,000 open invoices) and the statement (100,000 entries) in $dir ..."
  "$bench" prepare "$dir"
fi

for _ in $(seq "$runs"); do
  cp "$dir/bank-book.db" "$dir/bank-run.db"
  rm -f "$dir/bank-run.db-wal" "$dir/bank-run.db-shm"
  "$bench" import "$dir/bank-run.db" "$dir/statement-100k.xml"
done | python3 -c '
import json, statistics, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
secs = [r["seconds"] for r in rows]
rss = [r["max_rss_kb"] / 1024 for r in rows]
entries, matched, unmatched = rows[0]["entries"], rows[0]["matched"], rows[0]["unmatched"]
print(f"bank import: {entries} entries, {matched} matched, {unmatched} unmatched; "
      f"median {statistics.median(secs):.3f} s (min {min(secs):.3f}, max {max(secs):.3f}) over {len(rows)} runs; "
      f"peak RSS median {statistics.median(rss):.1f} MB (min {min(rss):.1f}, max {max(rss):.1f}); target < 2 s, < 128 MB")
'
rm -f "$dir/bank-run.db" "$dir/bank-run.db-wal" "$dir/bank-run.db-shm"
