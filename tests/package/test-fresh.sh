#!/usr/bin/env bash
# test-fresh.sh: the README's Quick start on a bare Debian bookworm root
# (scripts/fresh-root.sh: apt-get is all there is; no make, compiler or curl),
# as root, from this checkout's committed files (git archive HEAD):
#   1. apt-get update && apt-get install -y make
#   2. make run   (until /healthz answers; then curl, as the walkthrough uses it,
#                  is checked from inside the root, and the server is stopped)
#   3. make test  (skipped with FRESH_SKIP_MAKE_TEST=1)
# Listens on a free loopback port instead of 8080 (the host may use 8080).
# Not part of `make test`: it downloads a root and builds everything from scratch.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
root=$(mktemp -d /var/tmp/shipline-fresh-root.XXXXXX)
run_pid=  # the process group of `make run` (setsid)
stop_run() {
  [[ -n $run_pid ]] || return 0
  kill -TERM -- "-$run_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 -- "-$run_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  run_pid=
}
finish() {
  stop_run
  "$repo/scripts/fresh-root.sh" --remove "$root" ${FRESH_KEEP_ROOT:+keep} || true
}
trap finish EXIT
fail() { echo "test-fresh: FAIL: $*" >&2; exit 1; }
in_root() { "$repo/scripts/chroot-run.sh" "$root" "$@"; }

"$repo/scripts/fresh-root.sh" "$root"
for tool in make c++ curl cmake; do
  in_root "command -v $tool >/dev/null" && fail "the fresh root already has $tool"
done
mkdir -p "$root/root/shipline"
git -C "$repo" archive HEAD | tar -x -C "$root/root/shipline"

echo "test-fresh: 1. apt-get update && apt-get install -y make"
in_root "cd /root/shipline && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "test-fresh: 2. make run (LISTEN=127.0.0.1:$port), log in $root/tmp/make-run.log"
setsid "$repo/scripts/chroot-run.sh" "$root" \
  "cd /root/shipline && exec make run LISTEN=127.0.0.1:$port >/tmp/make-run.log 2>&1" &
run_pid=$!
healthy=
for _ in $(seq 1 3600); do  # up to an hour: everything is built from scratch
  if ! kill -0 "$run_pid" 2>/dev/null; then tail -n 40 "$root/tmp/make-run.log" >&2; fail "make run exited"; fi
  if python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=2).status == 200 else 1)" 2>/dev/null; then
    healthy=yes; break
  fi
  sleep 1
done
[[ -n $healthy ]] || fail "make run did not serve within an hour"
in_root "curl -sf http://127.0.0.1:$port/healthz" >/dev/null || fail "curl is missing in the root"
grep -q 'admin API key: ' "$root/tmp/make-run.log" || fail "make run printed no admin key"
echo "test-fresh: make run serves; curl works"
stop_run

if [[ -n ${FRESH_SKIP_MAKE_TEST:-} ]]; then
  echo "test-fresh: ok (make test skipped: FRESH_SKIP_MAKE_TEST is set)"
  exit 0
fi
echo "test-fresh: 3. make test, log in $root/tmp/make-test.log"
in_root "cd /root/shipline && make test >/tmp/make-test.log 2>&1" ||
  { tail -n 60 "$root/tmp/make-test.log" >&2; fail "make test failed"; }
echo "test-fresh: ok"
