#!/usr/bin/env bash
# The sync benchmark (issue 24): a simulated WHMCS of CLIENTS clients (one service each, four
# invoices each, one in ten unpaid: 50,000 clients give 200,000 invoices) on 127.0.0.1
# (bench/sync_bench.cpp), read by the real `cobradorctl sync` into a fresh SQLite database: a
# full first pass, an unchanged second pass, and beside them the floor of a pass, reading
# alone (`sync --dry-run`: every call and page, nothing written). Each RUNS times; medians,
# peak RSS of cobradorctl, the load average.
# Usage: bench/sync_bench.sh BUILD_DIR [RUNS] [CLIENTS]        (3, 50000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
runs=${2:-3}
clients=${3:-50000}
ctl="$build/daemon/cobradorctl"
work=$(mktemp -d /tmp/cobrador-sync-XXXXXX)
coproc server { exec "$build/bench/sync_bench" serve "$clients"; }
read -r port <&"${server[0]}"
trap 'kill "$server_PID" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'x\n' > "$work/whmcs.identifier"
printf 'y\n' > "$work/whmcs.secret"
chmod 600 "$work"/whmcs.*
write_config() { # DATABASE
  printf 'database: "%s"\npolicy: %s/etc/policy.yaml\nsources:\n  w:\n    type: whmcs\n    url: "http://127.0.0.1:%s"\n    identifier_file: whmcs.identifier\n    secret_file: whmcs.secret\n    page_size: 250\n    products: { "1": { kind: hosting }, "2": { kind: vps } }\n' \
    "$1" "$root" "$port" > "$work/cobrador.yaml"
}
measured() { # STEP ARGS...
  local step=$1
  shift
  python3 - "$step" "$@" <<'PY'
import json, resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, env={"COBRADOR_NOW": "2026-12-01T12:00:00Z"})
took = time.monotonic() - started
if done.returncode:
    sys.exit(f"{sys.argv[2]} exited with {done.returncode}")
pass_ = json.loads(done.stdout)[0]
print(json.dumps({"step": sys.argv[1], "seconds": took, "max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "calls": pass_["calls"], "rows_read": pass_["rows_read"], "rows_changed": pass_["rows_changed"]}))
PY
}
for r in $(seq "$runs"); do
  rm -f "$work"/run.db*
  write_config "$work/run.db"
  measured "first sync" "$ctl" -c "$work/cobrador.yaml" --json sync
  measured "second sync" "$ctl" -c "$work/cobrador.yaml" --json sync
  measured "floor: reading alone (--dry-run)" "$ctl" -c "$work/cobrador.yaml" --json sync --dry-run
done > "$work/results.jsonl"
python3 - "$work/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
med = statistics.median
steps = ["first sync", "second sync", "floor: reading alone (--dry-run)"]
floor = med(r["seconds"] for r in rows if r["step"] == steps[2])
for step in steps:
    runs = [r for r in rows if r["step"] == step]
    s = med(r["seconds"] for r in runs)
    print(f"{step}: median {s:.2f} s (min {min(r['seconds'] for r in runs):.2f}, max {max(r['seconds'] for r in runs):.2f}), "
          f"peak RSS {med(r['max_rss_kb'] for r in runs) / 1024:.0f} MB, {runs[0]['calls']} calls, "
          f"{runs[0]['rows_read']} rows read, {runs[0]['rows_changed']} changed; x{s / floor:.2f} of reading alone  [{len(runs)} runs]")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
