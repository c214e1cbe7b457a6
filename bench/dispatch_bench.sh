#!/usr/bin/env bash
# The dispatch benchmark (issue 3): 20,000 suspensions drained against a loopback webhook
# panel with 64 calls at once, median of 5 runs, and the ratio to a bare HttpClient loop
# against the same server. Usage: bench/dispatch_bench.sh [BUILD_DIR] [extra options]
set -euo pipefail
build=${1:-build}
shift || true
cmake --build "$build" --target dispatch_bench -j "$(nproc)" >/dev/null
exec "$build/bench/dispatch_bench" --actions 20000 --runs 5 --concurrency 64 "$@"
