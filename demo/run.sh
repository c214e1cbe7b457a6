#!/usr/bin/env bash
# `make demo`: cobradord running on a demo book with nothing to set up. A few customers whose
# invoices fell due days ago are imported into var/cobrador.db; notices go to a local SMTP
# server that writes them to var/mail (a Maildir); panel calls go to hooks/examples/log-call,
# which logs them to var/panel-calls.log. Usage: demo/run.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build}
ctl="$build/daemon/cobradorctl"
config=var/demo/cobrador.yaml
rm -rf var/mail
mkdir -p var/demo var/mail/tmp var/mail/new var/mail/cur
rm -f var/cobrador.db var/cobrador.db-wal var/cobrador.db-shm var/panel-calls.log

# A read-only API token for the console: it may look at everything and change nothing.
umask 077
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/demo/console.token
# The key that signs the customers' links in the notices (docs/customer-page.md): a new one
# each demo, so the links of an earlier demo's mail end.
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/demo/links.key
umask 022
console_token=$(cat var/demo/console.token)

cat > "$config" <<YAML
database: $root/var/cobrador.db
listen: 127.0.0.1:8417
policy: $root/etc/policy.yaml
templates: $root/etc/templates
support: { phone: "+55 11 4000-0000", email: billing@example.com, url: https://example.com/billing }
panels:
  demo: { type: exec, command: $root/hooks/examples/log-call, timeout: 10s }
channels:
  email: { smtp_url: "smtp://127.0.0.1:2525", starttls: none, from: "Billing <billing@example.com>" }
api_clients:
  console: { token_file: $root/var/demo/console.token, scopes: [read] }
public_url: http://127.0.0.1:8417
links: { key_file: $root/var/demo/links.key, link_days: 30, uploads_dir: $root/var/demo/uploads }
YAML

day() { date -u -d "$1 days" +%F; }

cat > var/demo/customers.csv <<CSV
id,name,email,phone,locale,customer_since,tags
ana,Ana Silva,ana@example.com,+5511900000001,pt-BR,2023-04-01,
bruno,Bruno Lima,bruno@example.com,+5511900000002,pt-BR,2024-02-10,
carmen,Carmen Ruiz,carmen@example.com,,es,2022-09-15,
dave,Dave Jones,dave@example.com,+14155550100,en,2025-01-20,no-dunning
CSV
cat > var/demo/services.csv <<CSV
id,customer_id,kind,panel,account,recurring_amount,recurring_currency
ana-site,ana,hosting,demo,ana,49.90,BRL
bruno-vps,bruno,vps,demo,bruno,129.00,BRL
carmen-net,carmen,internet,demo,carmen,35.00,EUR
dave-site,dave,hosting,demo,dave,49.90,USD
CSV
cat > var/demo/invoices.csv <<CSV
id,customer_id,services,amount,currency,issued_on,due_on,status
A-1001,ana,ana-site,49.90,BRL,$(day -13),$(day -3),open
B-2001,bruno,bruno-vps,129.00,BRL,$(day -14),$(day -4),open
C-3001,carmen,carmen-net,35.00,EUR,$(day -16),$(day -6),open
D-4001,dave,dave-site,49.90,USD,$(day -16),$(day -6),open
CSV

# The local mail server: aiosmtpd's Maildir handler (Debian's python3-aiosmtpd).
/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Mailbox "$root/var/mail" &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/2525) 2>/dev/null && break; sleep 0.1; done

for kind in customers services invoices; do "$ctl" -c "$config" import "$kind" "var/demo/$kind.csv"; done
echo
echo "== What the policy will do over the next 10 days (nothing is written) =="
"$ctl" -c "$config" simulate --from "$(day -3)" --days 10
# As if cobrador had been running for the last three days: walk and deliver each of them.
for ago in 3 2 1; do
  COBRADOR_NOW="$(day -$ago)T12:00:00Z" "$ctl" -c "$config" walk
  COBRADOR_NOW="$(day -$ago)T12:05:00Z" "$ctl" -c "$config" dispatch --until-empty
done

cat <<TEXT

== cobradord is starting: it walks today, sends the notices and calls the panel hook ==
The console: http://127.0.0.1:8417/console/
  sign in with this read-only token: $console_token
In another terminal, look at:
  ls var/mail/new && cat var/mail/new/*        # the notices, as the customers get them
                                               # (base64: each has the link to the customer's
                                               # page, http://127.0.0.1:8417/c/..., docs/customer-page.md)
  cat var/panel-calls.log                      # the suspensions the panel was asked for
  curl -s http://127.0.0.1:8417/healthz        # the daemon's health; /metrics for Prometheus
  $ctl -c $config audit bruno                  # every decision and the rule behind it
  $ctl -c $config show customer bruno          # state, balance, stage, next action
Stop with Ctrl-C.

TEXT
"$build/daemon/cobradord" -c "$config"
