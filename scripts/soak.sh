#!/usr/bin/env bash
# What `make soak` runs: the fault loop (tests/soak/fault_loop.py) with
# SOAK_KILLS (default 20) SIGKILLs of shipline under completion load,
#  1. on SQLite, one node;
#  2. on a PostgreSQL cluster of its own (never the shared test cluster), two
#     nodes, where about one fault in four is `pg_ctl stop -m immediate` of
#     PostgreSQL itself instead of a node. The cluster keeps full durability
#     (fsync on): it is the one being crashed.
# Each prints its counts as JSON and fails when an effect was lost or doubled.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
KILLS=${SOAK_KILLS:-20}
export SHIPLINE_BIN="$PWD/$BUILD/shipline"

echo "== fault loop on SQLite: one node, $KILLS kills"
env -u SHIPLINE_TEST_DATABASE_URL /usr/bin/python3 tests/soak/fault_loop.py --kills "$KILLS"

dir=$(mktemp -d /tmp/shipline-soak-pg.XXXXXX)
cleanup() { scripts/pg-test-cluster.sh stop "$dir" || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=$(scripts/pg-test-cluster.sh start "$dir" "$port")
echo "== fault loop on PostgreSQL ($url): two nodes, $KILLS faults (nodes and PostgreSQL)"
SHIPLINE_TEST_DATABASE_URL="$url" /usr/bin/python3 tests/soak/fault_loop.py --kills "$KILLS" \
  --nodes 2 --pg-cluster "$dir:$port"
