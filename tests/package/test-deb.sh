#!/usr/bin/env bash
# test-deb.sh BUILD: installs BUILD/shipline_*_amd64.deb with apt-get in a
# throwaway Debian bookworm root (scripts/fresh-root.sh), so its Depends are
# resolved from Debian's archive and the host is left alone; checks what the
# maintainer scripts made, runs `shipline serve` from the installed files as
# the shipline user with the installed configuration, calls /readyz, takes a
# backup, then purges the package and checks what is left is what
# docs/DEPLOYMENT.md says (the backups folder and the system user only).
# Not part of `make test` (it downloads a Debian root once, ~150 MB): `make test-deb`.
set -euo pipefail
build=${1:-build}
repo=$(cd "$(dirname "$0")/../.." && pwd)
deb=$(ls "$build"/shipline_*_amd64.deb | tail -n1)
root=$(mktemp -d /var/tmp/shipline-deb-root.XXXXXX)
server_pid=  # the process group of the server started below (setsid)
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM -- "-$server_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
finish() {
  stop_server
  "$repo/scripts/fresh-root.sh" --remove "$root" || true
}
trap finish EXIT
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
in_root() { "$repo/scripts/chroot-run.sh" "$root" "$@"; }

"$repo/scripts/fresh-root.sh" "$root"
cp "$deb" "$root/tmp/"
name=$(basename "$deb")
echo "test-deb: apt-get install ./$name"
in_root "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/$name >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }"

# What the maintainer scripts made.
in_root "getent passwd shipline" | grep -q '^shipline:' || fail "no shipline user"
[[ $(in_root "stat -c '%U:%G %a' /var/lib/shipline") == "shipline:shipline 750" ]] || fail "/var/lib/shipline"
[[ $(in_root "stat -c '%U:%G %a' /etc/shipline/shipline.toml") == "root:shipline 640" ]] || fail "shipline.toml mode"
in_root "dpkg-query -W -f='\${Conffiles}' shipline" | grep -q /etc/shipline/shipline.toml || fail "not a conffile"
[[ -L $root/etc/systemd/system/multi-user.target.wants/shipline.service ]] || fail "shipline.service not enabled"
[[ -L $root/etc/systemd/system/timers.target.wants/shipline-backup.timer ]] || fail "backup timer not enabled"
in_root "shipline config check /etc/shipline/shipline.toml" >/dev/null || fail "config check"
if command -v systemd-analyze >/dev/null; then
  for unit in shipline.service shipline-email-worker.service shipline-backup.service; do
    systemd-analyze security --offline=true --root="$root" "$root/lib/systemd/system/$unit" | tail -n1
  done
fi

# The service's command line, as the service's user, from the installed files.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
setsid "$repo/scripts/chroot-run.sh" "$root" \
  "exec runuser -u shipline -- /usr/bin/shipline serve --config /etc/shipline/shipline.toml \
     --listen 127.0.0.1:$port --metrics-listen off >/tmp/serve.out 2>/tmp/serve.err" &
server_pid=$!
ready=
for _ in $(seq 1 200); do
  if python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$port/readyz', timeout=2).status == 200 else 1)" 2>/dev/null; then
    ready=yes; break
  fi
  sleep 0.1
done
[[ -n $ready ]] || { cat "$root/tmp/serve.err" >&2; fail "/readyz did not answer 200"; }
echo "test-deb: /readyz answered 200 on 127.0.0.1:$port"
grep -q '^admin API key: ' "$root/tmp/serve.out" || fail "no admin key printed"
[[ $(in_root "stat -c %U /var/lib/shipline/shipline.db") == shipline ]] || fail "database not the user's"
in_root "runuser -u shipline -- shipline backup --to /var/backups/shipline/test.tar" >/dev/null || fail "backup"
stop_server
grep -q '"msg":"stopped"' "$root/tmp/serve.err" || fail "serve did not stop cleanly on SIGTERM"

echo "test-deb: apt-get purge shipline"
in_root "DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq shipline >/tmp/purge.log 2>&1 || { cat /tmp/purge.log; exit 1; }"
for gone in /usr/bin/shipline /etc/shipline /var/lib/shipline /lib/systemd/system/shipline.service \
            /etc/systemd/system/multi-user.target.wants/shipline.service \
            /etc/systemd/system/timers.target.wants/shipline-backup.timer; do
  [[ ! -e $root$gone && ! -L $root$gone ]] || fail "$gone is left after purge"
done
[[ -f $root/var/backups/shipline/test.tar ]] || fail "purge removed the backups"
in_root "dpkg-query -W -f='\${db:Status-Status}' shipline 2>/dev/null" | grep -qv installed || true
leftover=$(find "$root/etc" "$root/var/lib" "$root/lib/systemd" -name '*shipline*' \
             ! -path '*/var/lib/dpkg/*' ! -path '*/var/lib/apt/*' 2>/dev/null || true)
[[ -z $leftover ]] || fail "left after purge: $leftover"
echo "test-deb: ok"
