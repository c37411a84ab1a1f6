#!/usr/bin/env bash
# What `make test` runs: every test on both store backends.
#
#   scripts/test-all.sh BUILD_DIR JOBS
#
# 1. The unit tests and the black-box suite with shipline on SQLite (the
#    default); the shared store suite also runs against PostgreSQL. The
#    black-box suite includes the operator console's browser test
#    (blackbox.test_console: chromium through tests/console, SQLite only).
# 2. The whole black-box suite again with shipline on PostgreSQL: every data
#    folder gets a fresh database schema (SHIPLINE_TEST_DATABASE_URL).
#
# PostgreSQL is a throwaway cluster of Debian's postgresql-15 on a free
# loopback port and a temporary folder, removed at the end even when tests
# fail or the run is interrupted. Its settings trade crash safety of the
# server for speed (nothing here crashes the server; shipline is killed,
# PostgreSQL is not).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
JOBS=${2:-2}

dir=$(mktemp -d /tmp/shipline-pg-test.XXXXXX)
cleanup() { scripts/pg-test-cluster.sh stop "$dir" || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=$(PG_TEST_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  scripts/pg-test-cluster.sh start "$dir" "$port")
echo "== PostgreSQL test cluster at $url (folder $dir)"

status=0
echo "== unit tests (store suite on SQLite and PostgreSQL) and black-box tests on SQLite"
SHIPLINE_TEST_DATABASE="$url" ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" || status=1
echo "== black-box tests with shipline on PostgreSQL"
SHIPLINE_TEST_DATABASE_URL="$url" ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" \
  -R '^blackbox\.' || status=1
exit $status
