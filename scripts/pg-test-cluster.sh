#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: Debian's
# postgresql-15 binaries on a folder of its own, listening on 127.0.0.1:PORT
# and a socket inside the folder, trust authentication on loopback only. No
# system service is touched.
#
#   scripts/pg-test-cluster.sh start DIR PORT   # prints the URL of database "shipline"
#   scripts/pg-test-cluster.sh stop DIR         # stops the server and removes DIR
#
# initdb and pg_ctl refuse to run as root: as root they run as the postgres
# user on a DIR that user owns; as anyone else, as that user.
#
# Extra server settings go in PG_TEST_OPTIONS (e.g. "-c fsync=off" for tests
# that never crash the server; benchmarks leave it empty).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
command=${1:-}
dir=${2:-}
if [[ -z "$command" || -z "$dir" ]]; then
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$command" in
  start)
    port=${3:?usage: $0 start DIR PORT}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    mkdir -p "$dir/socket"
    if [[ $(id -u) -eq 0 ]]; then
      chown -R postgres:postgres "$dir"
      # The postgres user must be able to reach DIR through its parents.
      chmod o+x "$(dirname "$dir")" 2>/dev/null || true
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C \
        > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      # Only loopback TCP and the folder's own socket, both trusted.
      cat > "$dir/data/pg_hba.conf" <<'EOF'
local all all trust
host all all 127.0.0.1/32 trust
EOF
    fi
    options="-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=400"
    options+=" ${PG_TEST_OPTIONS:-}"
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start \
      > "$dir/pg_ctl.log" 2>&1 || { cat "$dir/pg_ctl.log" "$dir/server.log" >&2; exit 1; }
    psql "postgres://postgres@127.0.0.1:$port/postgres" -qAt -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE shipline" > /dev/null 2>&1 || true
    echo "postgres://postgres@127.0.0.1:$port/shipline"
    ;;
  stop)
    if [[ -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop > /dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
