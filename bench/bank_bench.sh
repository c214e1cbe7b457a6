#!/usr/bin/env bash
# Imports a camt.053 of 100,000 entries against 200,000 open invoices several times, each on a
# fresh copy of the prepared book in a process of its own, and prints the medians. Then the
# floor: the rows the last import wrote, written again into fresh copies of the book with bare
# prepared statements (bank_bench floor), which is what SQLite alone takes for them here.
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

fresh() {
  cp "$dir/bank-book.db" "$1"
  rm -f "$1-wal" "$1-shm"
}

for _ in $(seq "$runs"); do
  fresh "$dir/bank-run.db"
  "$bench" import "$dir/bank-run.db" "$dir/statement-100k.xml"
done > "$dir/bank-runs.jsonl"
for _ in 1 2 3; do
  fresh "$dir/bank-floor.db"
  "$bench" floor "$dir/bank-floor.db" "$dir/bank-run.db"
done > "$dir/bank-floor.jsonl"
python3 - "$dir/bank-runs.jsonl" "$dir/bank-floor.jsonl" <<'PY'

import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
floor = [json.loads(line)["seconds"] for line in open(sys.argv[2]) if line.strip()]
secs = [r["seconds"] for r in rows]
rss = [r["max_rss_kb"] / 1024 for r in rows]
entries, matched, unmatched = rows[0]["entries"], rows[0]["matched"], rows[0]["unmatched"]
print(f"bank import: {entries} entries, {matched} matched, {unmatched} unmatched; "
      f"median {statistics.median(secs):.3f} s (min {min(secs):.3f}, max {max(secs):.3f}) over {len(rows)} runs; "
      f"peak RSS median {statistics.median(rss):.1f} MB (min {min(rss):.1f}, max {max(rss):.1f}); target < 2 s, < 128 MB")
print(f"floor (bare SQLite writing the same rows, {len(floor)} runs): median {statistics.median(floor):.3f} s "
      f"(min {min(floor):.3f}, max {max(floor):.3f}); import / floor = {statistics.median(secs) / statistics.median(floor):.2f}")
PY
rm -f "$dir"/bank-run.db* "$dir"/bank-floor.db* "$dir/bank-runs.jsonl" "$dir/bank-floor.jsonl"
