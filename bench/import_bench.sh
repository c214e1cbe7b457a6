#!/usr/bin/env bash
# The first day at book size (issue 20): 200,000 customers, 200,000 services and 1,000,000
# invoices (bench/import_bench.cpp) imported through the real `cobradorctl import`, then walked
# on the import's day, on the same day again and on the next day; each step RUNS times on a
# fresh database, on SQLite and on PostgreSQL (a throwaway cluster), medians printed. Beside
# each SQLite step, its floor: the rows that step wrote, written again by bare prepared
# statements (import_bench floor | walk_floor), and the ratio.
# Usage: bench/import_bench.sh BUILD_DIR [RUNS] [CUSTOMERS]        (3, 200000)
# COBRADOR_BENCH_PG=0 leaves PostgreSQL out: its import takes minutes per file today.
# The generated files are kept in $COBRADOR_BENCH_DIR/import (default /tmp/cobrador-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
runs=${2:-3}
customers=${3:-200000}
dir=${COBRADOR_BENCH_DIR:-/tmp/cobrador-bench}/import-$customers
bench="$build/bench/import_bench"
walk="$build/bench/walk_bench"
ctl="$build/daemon/cobradorctl"
day=2026-06-15
next=2026-06-16
pg=/tmp/cobrador-import-pg
work=$(mktemp -d /tmp/cobrador-import-XXXXXX)
[ -f "$dir/invoices.csv" ] || { echo "generating the book in $dir ..."; "$bench" generate "$dir" "$customers"; }
"$root/tests/support/pg_cluster.sh" start "$pg" >/dev/null
trap '"$root/tests/support/pg_cluster.sh" stop "$pg" >/dev/null || true; rm -rf "$work"' EXIT
admin() { psql -h "$pg" -U postgres -d postgres -qAt -c "$1"; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# The wall time and peak RSS of one command, as JSON members (python3 is among the packages
# make installs; GNU time is not on a fresh Debian).
measured() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
started = time.monotonic()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
took = time.monotonic() - started
if code:
    sys.exit(f"{sys.argv[1]} exited with {code}")
print(f'"seconds": {took:.3f}, "max_rss_kb": {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')
PY
}

# One import through the CLI, the clock pinned before the day's walk (06:00 in São Paulo).
import() { # STORE DATABASE KIND
  printf 'database: "%s"\npolicy: %s/etc/policy.yaml\n' "$2" "$root" > "$work/cobrador.yaml"
  echo "{\"store\": \"$1\", \"step\": \"import $3\", $(COBRADOR_NOW=${day}T08:00:00Z measured "$ctl" \
    -c "$work/cobrador.yaml" import "$3" "$dir/$3.csv")}"
}
walked() { # STORE DATABASE STEP DAY
  echo "{\"store\": \"$1\", \"step\": \"$3\", \"walk\": $("$walk" walk "$2" "$4")}"
}
floor() { # STEP BEFORE DONE [DAY]     (a BEFORE that does not exist: an empty book)
  rm -f "$work"/floor.db*
  [ ! -f "$2" ] || { cp "$2" "$work/floor.db"; sync; }
  if [ $# -eq 4 ]; then
    echo "{\"step\": \"$1\", \"floor\": $("$bench" walk_floor "$work/floor.db" "$3" "$4")}"
  else
    echo "{\"step\": \"$1\", \"floor\": $("$bench" floor "$work/floor.db" "$3")}"
  fi
  rm -f "$work"/floor.db*
}
# The copies are the bench's bookkeeping: synced before the next step, so that the kernel's
# writing them back does not slow the step measured after them (it made a million invoices
# take 12-13.5 s instead of 10.3-11 s, with the old program and the new alike).
snapshot() { cp "$work/run.db" "$work/$1.db"; sync; }

for r in $(seq "$runs"); do
  rm -f "$work"/run.db*
  import sqlite "$work/run.db" customers; snapshot customers
  import sqlite "$work/run.db" services; snapshot services
  import sqlite "$work/run.db" invoices; snapshot invoices
  walked sqlite "$work/run.db" "first walk" "$day"; snapshot first
  walked sqlite "$work/run.db" "same day again" "$day"; snapshot again
  walked sqlite "$work/run.db" "next day" "$next"; snapshot nextday
  rm -f "$work/empty.db"
  floor "import customers" "$work/empty.db" "$work/customers.db"
  floor "import services" "$work/customers.db" "$work/services.db"
  floor "import invoices" "$work/services.db" "$work/invoices.db"
  floor "first walk" "$work/invoices.db" "$work/first.db" "$day"
  floor "same day again" "$work/first.db" "$work/again.db" "$day"
  floor "next day" "$work/again.db" "$work/nextday.db" "$next"
  [ "${COBRADOR_BENCH_PG:-1}" = 1 ] || continue
  admin "DROP DATABASE IF EXISTS import_run WITH (FORCE)"
  admin "CREATE DATABASE import_run"
  uri="postgresql:///import_run?host=$pg&user=postgres"
  for kind in customers services invoices; do import postgresql "$uri" "$kind"; done
  walked postgresql "$uri" "first walk" "$day"
  walked postgresql "$uri" "same day again" "$day"
  walked postgresql "$uri" "next day" "$next"
done > "$work/results.jsonl"
python3 - "$work/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
steps = ["import customers", "import services", "import invoices", "first walk", "same day again", "next day"]
def seconds(r): return r["walk"]["seconds"] if "walk" in r else r["seconds"]
def rss(r): return (r["walk"]["max_rss_kb"] if "walk" in r else r["max_rss_kb"]) / 1024
med = statistics.median
for step in steps:
    lite = [r for r in rows if r.get("store") == "sqlite" and r["step"] == step]
    pg = [r for r in rows if r.get("store") == "postgresql" and r["step"] == step]
    floor = [r["floor"]["seconds"] for r in rows if "floor" in r and r["step"] == step]
    s, f = med(map(seconds, lite)), med(floor)
    what = (f"{lite[0]['walk']['evaluated']} customers evaluated, {lite[0]['walk']['actions']} actions; "
            if "walk" in lite[0] else "")
    print(f"{step}: {what}SQLite median {s:.2f} s (min {min(map(seconds, lite)):.2f}, max {max(map(seconds, lite)):.2f}), "
          f"peak RSS {med(map(rss, lite)):.0f} MB; floor {f:.2f} s, x{s / f:.2f} of it"
          + (f"; PostgreSQL {med(map(seconds, pg)):.2f} s, peak RSS {med(map(rss, pg)):.0f} MB, "
             f"x{med(map(seconds, pg)) / s:.2f} of SQLite" if pg else "") + f"  [{len(lite)} runs]")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
