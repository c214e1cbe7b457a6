#!/bin/bash
# A throwaway PostgreSQL cluster for the tests: `pg_cluster.sh start DIR` makes a new cluster in
# DIR/data that listens only on a Unix socket in DIR (no TCP port to collide with anything) and
# waits until it takes connections; `pg_cluster.sh stop DIR` stops it and removes DIR.
#
# Durability is switched off (fsync, synchronous_commit, full_page_writes): the cluster lives
# for one test run, and the tests create many small databases. PostgreSQL refuses to run as
# root, so when the tests run as root DIR is handed to the `postgres` user (Debian's
# postgresql-15 package creates it) and the server programs run through runuser.
set -euo pipefail

die() {
  echo "pg_cluster.sh: $*" >&2
  exit 1
}

usage() { die "usage: pg_cluster.sh start|stop DIR"; }

# The server programs are not on PATH on Debian: they live in /usr/lib/postgresql/N/bin.
find_bindir() {
  if [[ -n "${PG_BINDIR:-}" && -x "$PG_BINDIR/initdb" ]]; then
    echo "$PG_BINDIR"
    return
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return
    fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return
  fi
  die "PostgreSQL server programs (initdb, pg_ctl) not found: install postgresql-15 (\`make deps\` does), or set PG_BINDIR"
}

# runuser lives in /usr/sbin, which a root shell's PATH may lack (a plain sudo, a CI runner).
runuser_path() { command -v runuser || { [[ -x /usr/sbin/runuser ]] && echo /usr/sbin/runuser; } || true; }

# Runs a server program as the user that owns the cluster.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    "$(runuser_path)" -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local dir=$1 bindir
  bindir=$(find_bindir)
  # Unix socket paths are limited to 107 bytes; the socket is DIR/.s.PGSQL.5432.
  (( ${#dir} + 16 <= 107 )) || die "$dir: too long for a Unix socket path (at most 91 bytes)"
  if [[ -e "$dir/data" ]]; then
    echo "pg_cluster.sh: $dir holds a cluster left by an interrupted run; removing it" >&2
    stop "$dir"
  fi
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root and there is no 'postgres' user to run the server as: install postgresql-15"
    [[ -n "$(runuser_path)" ]] || die "running as root and runuser (util-linux) is missing"
    chown postgres: "$dir"
    as_owner test -w "$dir" ||
      die "$dir: the postgres user cannot reach it (a parent folder closed to others?); use a folder under /tmp"
  fi
  # The server programs look at their working folder; the caller's may be closed to postgres.
  cd "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync --no-instructions \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed in $dir/data"; }
  as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF
# pg_cluster.sh: a throwaway test cluster
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 32MB
log_min_messages = warning
EOF
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2 || true; die "the server in $dir/data did not start"; }
}

stop() {
  local dir=$1 bindir
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    bindir=$(find_bindir)
    (cd "$dir" && as_owner "$bindir/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null) ||
      echo "pg_cluster.sh: pg_ctl stop failed in $dir/data; removing it anyway" >&2
  fi
  rm -rf "$dir"
}

[[ $# == 2 ]] || usage
dir=$(realpath -m "$2")
case "$1" in
  start) start "$dir" ;;
  stop) stop "$dir" ;;
  *) usage ;;
esac
