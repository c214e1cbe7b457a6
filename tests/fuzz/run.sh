#!/usr/bin/env bash
# Runs the fuzz targets built in BUILD (cmake -DCOBRADOR_FUZZ=ON, see cmake/fuzz.cmake), each
# for SECONDS, under AddressSanitizer and UBSan (compiled in). Each starts from its seeds
# (seeds.py) in a writable folder, BUILD/fuzz/corpus/<target>, kept between runs so that a
# local corpus grows; what the fuzzer finds goes to BUILD/fuzz/findings/<target>/. The
# reproducers committed in tests/fuzz/findings/<target>/ are replayed first: a finding once
# fixed must stay fixed. Prints one line per target and exits 1 when anything was found.
#
#   tests/fuzz/run.sh BUILD SECONDS [TARGET...]
set -uo pipefail

build=$(cd "$1" && pwd)
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
all=(camt camt_stream cnab240 csv_statement money dates import_rows policy_yaml config_yaml template email
  webhooks pix percent panel_replies api customer_link)
targets=("${all[@]}")
[ $# -gt 0 ] && targets=("$@")

# Leaks are findings too; a UBSan report stops the run (the code is built not to recover).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
printf '%-14s %8s %12s %8s  %s\n' target seeds executions corpus result
for target in "${targets[@]}"; do
  program=$build/tests/fuzz/fuzz_$target
  corpus=$build/fuzz/corpus/$target
  findings=$build/fuzz/findings/$target
  log=$build/fuzz/logs/$target.log
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  seeds=$(python3 "$here/seeds.py" "$target" "$corpus") || { failed=1; continue; }

  # The committed reproducers: each must now run clean.
  known=("$here/findings/$target"/*)
  if [ -e "${known[0]}" ]; then
    if ! "$program" -runs=0 "${known[@]}" >"$log.replay" 2>&1; then
      printf '%-14s %8s %12s %8s  %s\n' "$target" "$seeds" - - "FAILS a committed reproducer ($log.replay)"
      failed=1
      continue
    fi
  fi

  "$program" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1
  status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  units=$(find "$corpus" -type f | wc -l)
  if [ $status -ne 0 ]; then
    artifact=$(grep -o "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')
    summary=$(grep -m1 -E 'SUMMARY: |fuzz property broken|ERROR: libFuzzer' "$log")
    printf '%-14s %8s %12s %8s  %s\n' "$target" "$seeds" "${executions:-?}" "$units" "FOUND: ${summary:-exit $status} -> ${artifact:-$log}"
    failed=1
  else
    printf '%-14s %8s %12s %8s  %s\n' "$target" "$seeds" "${executions:-?}" "$units" "nothing found"
  fi
done
exit $failed
