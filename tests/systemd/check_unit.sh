#!/usr/bin/env bash
# Checks systemd/cobrador.service with systemd's own tools: `systemd-analyze verify` on the unit
# with ExecStart pointing at the freshly built binary, and an exposure of 2.0 or lower from
# `systemd-analyze security --offline=true`. Usage: check_unit.sh SOURCE_DIR COBRADORD
set -euo pipefail
source_dir=$1
cobradord=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|/usr/bin/cobradord|$cobradord|g" "$source_dir/systemd/cobrador.service" > "$work/cobrador.service"
systemd-analyze verify "$work/cobrador.service"
exposure=$(systemd-analyze security --offline=true "$source_dir/systemd/cobrador.service" 2>/dev/null |
           sed -n 's/.*Overall exposure level for cobrador.service: \([0-9.]*\).*/\1/p')
echo "exposure: $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }'
