#!/usr/bin/env bash
# The console on the 200,000-customer bench book (issue 22): the real cobradord serving the book
# walk_bench prepares (bench/run.sh: walked through 2026-06-15, every action delivered), a session
# signed in with a read token, and each page asked RUNS times in a row with curl, beside /healthz
# (the floor: the same server, the same connection setup, no page). Prints per page the median
# and the slowest time, the median of the time to the first byte, and the size of the page; the
# Today page's first answer is reported apart (it computes the 30-day forecast, then keeps it an
# hour), and so is the first search (on SQLite it indexes the customers changed since the last
# search: here, after migration 13, all of them). Usage: bench/console_bench.sh BUILD_DIR [RUNS]      (default 20)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
runs=${2:-20}
dir=${COBRADOR_BENCH_DIR:-/tmp/cobrador-bench}
if [ ! -f "$dir/book-2026-06-15.db" ]; then
  echo "preparing the book (200,000 customers, 1,000,000 invoices) in $dir ..."
  "$build/bench/walk_bench" prepare "$dir" 2>/dev/null
fi
work=$(mktemp -d /tmp/cobrador-console-XXXXXX)
cp "$dir/book-2026-06-15.db" "$work/book.db"
umask 077
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/read.token"
umask 022
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/cobrador.yaml" <<YAML
database: $work/book.db
listen: 127.0.0.1:$port
policy: $root/etc/policy.yaml
templates: $root/etc/templates
api_clients:
  reader: { token_file: $work/read.token, scopes: [read] }
YAML
# The day after the book's last walk, at noon: the daemon walks that day at start (a quiet day).
COBRADOR_NOW=2026-06-16T15:00:00Z "$build/daemon/cobradord" -c "$work/cobrador.yaml" 2>"$work/daemon.log" &
daemon=$!
trap 'kill $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
curl -s -o /dev/null -D "$work/headers" -X POST --data-urlencode "token@$work/read.token" "http://127.0.0.1:$port/console/sign-in"
cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' "$work/headers")
[ -n "$cookie" ] || { echo "sign-in failed"; cat "$work/daemon.log"; exit 1; }
# A customer in dunning on the book: the one the search for "Customer 12" lists first that is.
customer=$(sqlite3 "$work/book.db" "SELECT c.ext_id FROM customers c JOIN episodes e ON e.customer_id = c.id AND e.ended_at IS NULL ORDER BY c.id LIMIT 1")

ask() { # PATH -> one line "total first_byte size status"
  curl -s -o /dev/null -H "Cookie: $cookie" -w '%{time_total} %{time_starttransfer} %{size_download} %{http_code}\n' \
    "http://127.0.0.1:$port$1"
}
first=$(ask /console/)
echo "Today, first answer (the 30-day forecast computed): $(echo "$first" | awk '{printf "%.3f s, %d bytes", $1, $3}')"
first=$(ask "/console/customers?q=Customer+1")
echo "search, first answer (the search index made current): $(echo "$first" | awk '{printf "%.3f s, %d bytes", $1, $3}')"
measure() { # LABEL PATH
  for _ in $(seq "$runs"); do ask "$2"; done | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin if line.strip()]
bad = [r for r in rows if r[3] != "200"]
if bad: sys.exit(f"{sys.argv[1]}: answered {bad[0][3]}")
total = [float(r[0]) * 1000 for r in rows]
first = [float(r[1]) * 1000 for r in rows]
size = max(int(r[2]) for r in rows)
print(f"{sys.argv[1]:<34} median {statistics.median(total):7.1f} ms  max {max(total):7.1f} ms  "
      f"first byte {statistics.median(first):7.1f} ms  {size / 1024:6.1f} KB  [{len(rows)} runs]")
' "$1"
}
measure "/healthz (floor)" /healthz
measure "Today" /console/
measure "Did dunning work? (June)" "/console/dunning?month=2026-06"
measure "a customer in dunning ($customer)" "/console/customers/$customer"
measure "search \"Customer 1234\"" "/console/customers?q=Customer+1234"
measure "search by id \"$customer\"" "/console/customers?q=$customer"
measure "Work" /console/work
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
