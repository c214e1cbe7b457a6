#!/usr/bin/env bash
# `make demo`: a small book of customers whose invoices fell due a few days ago, imported
# into var/cobrador.db, walked today, and shown. Usage: demo/run.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
ctl="$build/daemon/cobradorctl"
config=demo/cobrador.yaml
mkdir -p var/demo
rm -f var/cobrador.db var/cobrador.db-wal var/cobrador.db-shm

day() { date -u -d "$1 days" +%F; }

cat > var/demo/customers.csv <<CSV
id,name,email,phone,locale,customer_since,tags
ana,Ana Silva,ana@example.com,+5511900000001,pt-BR,2023-04-01,
bruno,Bruno Lima,bruno@example.com,+5511900000002,pt-BR,2024-02-10,
carmen,Carmen Ruiz,carmen@example.com,,es,2022-09-15,
dave,Dave Jones,dave@example.com,+14155550100,en,2025-01-20,no-dunning
CSV
cat > var/demo/services.csv <<CSV
id,customer_id,kind,panel,account
ana-site,ana,hosting,demo,ana
bruno-vps,bruno,vps,demo,bruno
carmen-net,carmen,internet,demo,carmen
dave-site,dave,hosting,demo,dave
CSV
cat > var/demo/invoices.csv <<CSV
id,customer_id,services,amount,currency,issued_on,due_on,status
A-1001,ana,ana-site,49.90,BRL,$(day -13),$(day -3),open
B-2001,bruno,bruno-vps,129.00,BRL,$(day -14),$(day -4),open
C-3001,carmen,carmen-net,35.00,EUR,$(day -16),$(day -6),open
D-4001,dave,dave-site,49.90,USD,$(day -16),$(day -6),open
CSV

for kind in customers services invoices; do "$ctl" -c "$config" import "$kind" "var/demo/$kind.csv"; done
echo
echo "== What the policy will do over the next 10 days (nothing is written) =="
"$ctl" -c "$config" simulate --from "$(day 0)" --days 10
echo
echo "== Today's walk =="
"$ctl" -c "$config" walk
echo
"$ctl" -c "$config" show customer bruno
cat <<TEXT

Look further with:
  $ctl -c $config audit bruno              # every decision and the rule behind it
  $ctl -c $config --json show customer ana # the same for scripts
  sqlite3 var/cobrador.db 'SELECT key, state FROM actions'   # the outbox
TEXT
