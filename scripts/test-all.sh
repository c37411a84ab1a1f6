#!/usr/bin/env bash
# What `make test` runs: every test on both store backends.
#
#   scripts/test-all.sh BUILD_DIR JOBS [tsan]
#
# 1. The unit tests and the black-box suite with shipline on SQLite (the
#    default); the shared store suite also runs against PostgreSQL. The
#    black-box suite includes the operator console's browser test
#    (blackbox.test_console: chromium through tests/console, SQLite only).
# 2. The whole black-box suite again with shipline on PostgreSQL: every data
#    folder gets a fresh database schema (SHIPLINE_TEST_DATABASE_URL).
#
# With "tsan" (`make tsan`), BUILD_DIR is a ThreadSanitizer build: every
# instrumented process (the unit tests, each shipline the black-box tests
# start, its CLI runs) writes its reports to a temporary folder instead of
# stopping (TSAN_OPTIONS log_path, halt_on_error=0), so one run finds them all
# and a test cannot miss a server that died of one; the run fails if any report
# is there at the end, and prints them. The fuzz corpus replays are left out:
# each is one thread over a parser.
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
MODE=${3:-}
exclude=()
if [[ "$MODE" == tsan ]]; then
  reports=$(mktemp -d /tmp/shipline-tsan-reports.XXXXXX)
  export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 log_path=$reports/tsan ${TSAN_OPTIONS:-}"
  exclude=(-E '^fuzz\.')
elif [[ -n "$MODE" ]]; then
  echo "usage: $0 BUILD_DIR JOBS [tsan]" >&2
  exit 2
fi

dir=$(mktemp -d /tmp/shipline-pg-test.XXXXXX)
cleanup() { scripts/pg-test-cluster.sh stop "$dir" || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=$(PG_TEST_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  scripts/pg-test-cluster.sh start "$dir" "$port")
echo "== PostgreSQL test cluster at $url (folder $dir)"

status=0
part() {
  local started=$SECONDS
  echo "== $1 ($(date -u +%H:%M:%S) UTC)"
  shift
  "$@" || status=1
  echo "== took $((SECONDS - started)) s"
}
part "unit tests (store suite on SQLite and PostgreSQL) and black-box tests on SQLite" \
  env SHIPLINE_TEST_DATABASE="$url" ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" \
  "${exclude[@]}"
part "black-box tests with shipline on PostgreSQL" \
  env SHIPLINE_TEST_DATABASE_URL="$url" ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" \
  -R '^blackbox\.'
if [[ "$MODE" == tsan ]]; then
  found=$(find "$reports" -type f | sort)
  if [[ -n "$found" ]]; then
    echo "== ThreadSanitizer reports: $(echo "$found" | wc -l) files in $reports"
    for f in $found; do echo "--- $f"; cat "$f"; done
    status=1
  else
    echo "== ThreadSanitizer: no report"
    rmdir "$reports"
  fi
fi
exit $status
