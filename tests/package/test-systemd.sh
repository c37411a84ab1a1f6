#!/usr/bin/env bash
# test-systemd.sh BUILD: the package's units under a real systemd. A throwaway
# Debian bookworm root (scripts/fresh-root.sh) gets systemd, dbus, curl and the
# package's Depends, is booted with `systemd-nspawn --boot` (its own network
# namespace: the service's 127.0.0.1:8080 is the container's), and inside it:
#   - `apt-get install ./shipline_*.deb` under the running systemd: the
#     maintainer scripts enable and start shipline.service and the backup timer;
#   - shipline.service is active (Type=notify: READY=1 reached systemd), runs
#     as shipline in its sandbox (no capabilities, no_new_privs, seccomp), its
#     /readyz answers 200, the admin key is in the journal, `systemd-analyze
#     security` scores the live units OK or better, WATCHDOG=1 arrives;
#   - the watchdog: the main process is frozen (SIGSTOP) and systemd restarts
#     the service (NRestarts, a new main PID that answers /readyz);
#   - `systemctl stop` is clean: STOPPING=1, exit status 0, "stopped" logged;
#   - shipline-email-worker.service without a broker configured fails once
#     (exit 2, RestartPreventExitStatus) instead of restarting forever, and
#     pointed at a broker nobody serves stays up and logs its retries;
#   - serve with its database down exits 1 and systemd keeps retrying it,
#     slower than the start limit;
#   - shipline-backup.timer is listed and `systemctl start shipline-backup`
#     writes a backup into /var/backups/shipline;
#   - an upgrade (`--reinstall`) restarts serve; `apt-get purge shipline`
#     stops everything and leaves no unit behind.
# The container is powered off and the root removed on every exit, failure
# included. Not part of `make test`: `make test-systemd` (about 3 minutes).
set -euo pipefail
build=${1:-build}
repo=$(cd "$(dirname "$0")/../.." && pwd)
deb=$(ls "$build"/shipline_*_amd64.deb | tail -n1)
name=$(basename "$deb")
root=$(mktemp -d /var/tmp/shipline-systemd-root.XXXXXX)
boot_log=$root.boot.log
machine=shipline-test-$$
nspawn_pid=  # systemd-nspawn, in a process group of its own (setsid)
leader=      # the container's PID 1 (systemd), as the host sees it
# Without systemd on the host, systemd-nspawn --keep-unit puts the container in
# payload/ and itself in supervisor/ under its own control group: give it one
# of its own in each hierarchy it uses, removed at the end.
cgroups=()
if [[ ! -d /run/systemd/system ]]; then
  for hierarchy in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup; do
    case $(stat -f -c %T "$hierarchy" 2>/dev/null) in
      cgroup2fs) ;;
      cgroupfs) [[ $hierarchy == */systemd ]] || continue ;;
      *) continue ;;
    esac
    cgroups+=("$hierarchy/$machine")
    [[ $hierarchy == /sys/fs/cgroup ]] && break
  done
fi

say() { echo "test-systemd: $*"; }
fail() {
  echo "test-systemd: FAIL: $*" >&2
  if [[ -n $leader ]]; then
    echo "--- journal of the shipline units (last 60 lines)" >&2
    in_ct "journalctl --no-pager -o short-monotonic -n 60 -u 'shipline*'" >&2 || true
  fi
  exit 1
}
in_root() { "$repo/scripts/chroot-run.sh" "$root" "$@"; }
# Runs a command inside the booted container, in all of its namespaces.
in_ct() {
  nsenter -t "$leader" -a /usr/bin/env -i HOME=/root LANG=C.UTF-8 SYSTEMD_PAGER= \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c "$*"
}
prop() { in_ct "systemctl show -P $2 $1"; }
# has PATTERN COMMAND: COMMAND's output (in the container) has a line matching PATTERN.
has() {
  local pattern=$1
  shift
  grep -q -e "$pattern" <<<"$(in_ct "$@")"
}
# wait_for SECONDS DESCRIPTION COMMAND: until COMMAND (in the container) succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    if in_ct "$*" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  fail "$what (waited ${seconds}s)"
}
readyz() { in_ct "curl -fsS -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:8080/readyz"; }

power_off() {
  [[ -n $nspawn_pid ]] || return 0
  # SIGTERM asks the container's systemd to halt; a second one ends it at once.
  kill -TERM "$nspawn_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.5; done
  kill -TERM "$nspawn_pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$nspawn_pid" 2>/dev/null || true
  wait "$nspawn_pid" 2>/dev/null || true
  nspawn_pid='' leader=''
  local group
  for group in "${cgroups[@]}"; do
    if [[ -d $group ]]; then find "$group" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
  done
}
finish() {
  local status=$?
  power_off
  if ((status != 0)) && [[ -s $boot_log ]]; then
    echo "--- systemd-nspawn's output (last 30 lines)" >&2
    tail -n 30 "$boot_log" >&2
  fi
  rm -f "$boot_log"
  "$repo/scripts/fresh-root.sh" --remove "$root" || true
}
trap finish EXIT
trap 'exit 143' TERM INT  # so that finish runs when `timeout` ends the test

command -v systemd-nspawn >/dev/null ||
  fail "systemd-nspawn is missing: apt-get install systemd-container (scripts/install-deps.sh --test)"

# The root: systemd as init, and everything the package needs already there,
# so that installing it in the booted container needs no network.
"$repo/scripts/fresh-root.sh" "$root"
cp "$deb" "$root/root/"  # the booted container mounts a fresh /tmp
# Depends without versions, the first of each set of alternatives.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/[[:space:]]//g' | xargs)
say "systemd, dbus, curl and the Depends ($depends)"
in_root "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  systemd systemd-sysv dbus curl procps $depends >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }"
in_root "ls /lib/systemd/system/shipline* 2>/dev/null" && fail "the root has shipline units before the install"
for m in dev sys proc; do umount -R -l "$root/$m" 2>/dev/null || true; done

say "systemd-nspawn --boot"
for group in "${cgroups[@]}"; do mkdir -p "$group"; done
# shellcheck disable=SC2016  # $$ and "$@" belong to the inner shell
setsid sh -c 'for group in "$@"; do echo $$ >"$group/cgroup.procs"; done; exec "$0" \
    --quiet --directory="'"$root"'" --machine='"$machine"' --register=no --keep-unit \
    --private-network --boot --console=pipe' "$(command -v systemd-nspawn)" "${cgroups[@]}" \
  </dev/null >"$boot_log" 2>&1 &
nspawn_pid=$!
for _ in $(seq 1 100); do
  for child in $(ps -o pid= --ppid "$nspawn_pid" 2>/dev/null); do
    [[ $(cat "/proc/$child/comm" 2>/dev/null) == systemd ]] && leader=$child
  done
  [[ -n $leader ]] && break
  kill -0 "$nspawn_pid" 2>/dev/null || fail "systemd-nspawn exited"
  sleep 0.2
done
[[ -n $leader ]] || fail "no systemd in the container"
wait_for 30 "the container's systemd opened no bus" "test -S /run/systemd/private"
state=$(in_ct "timeout 90 systemctl is-system-running --wait" || true)
[[ $state == running ]] || {
  in_ct "systemctl --failed --no-legend" >&2 || true
  fail "the container's systemd is '$state', not running"
}
say "systemd is $state in the container (PID $leader on the host)"
# pid1's debug log names every notification it gets (READY=1, WATCHDOG=1, STOPPING=1).
in_ct "systemd-analyze log-level debug"

say "apt-get install ./$name under systemd"
in_ct "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /root/$name >/tmp/apt.log 2>&1 \
  || { cat /tmp/apt.log; exit 1; }" || fail "apt-get install"
[[ $(prop shipline.service ActiveState) == active ]] || fail "shipline.service is not active after the install"
for unit in shipline.service shipline-backup.timer; do
  [[ $(in_ct "systemctl is-enabled $unit") == enabled ]] || fail "$unit is not enabled"
  [[ $(prop $unit ActiveState) == active ]] || fail "$unit was not started by the install"
done
[[ $(in_ct "systemctl is-enabled shipline-email-worker.service") == disabled ]] ||
  fail "shipline-email-worker.service should be installed disabled"
[[ $(prop shipline.service Type) == notify ]] || fail "Type is not notify"
main_pid=$(prop shipline.service MainPID)
[[ $(in_ct "stat -c %U /proc/$main_pid") == shipline ]] || fail "serve does not run as shipline"
# The sandbox as the kernel applies it to the live process.
status=$(in_ct "cat /proc/$main_pid/status")
for want in 'CapEff:.0000000000000000' 'CapBnd:.0000000000000000' 'NoNewPrivs:.1' 'Seccomp:.2'; do
  grep -q "^$want" <<<"$status" || fail "serve's /proc status lacks $want"
done
mounts=$(in_ct "findmnt -N $main_pid -rn -o TARGET,OPTIONS")
grep -qE '^/ ro,' <<<"$mounts" || fail "/ is not read-only for serve"
grep -qE '^/var/lib/shipline rw,' <<<"$mounts" || fail "/var/lib/shipline is not writable for serve"
has '^admin API key: ' "journalctl --no-pager -o cat -u shipline.service" ||
  fail "the first admin key is not in the journal"
has "shipline.service: Got notification message from PID $main_pid (READY=1" "journalctl --no-pager -o cat _PID=1" ||
  fail "no READY=1 from serve in the journal"
code=$(readyz) || true
[[ $code == 200 ]] || fail "/readyz answered '$code'"
say "shipline.service is active (PID $main_pid, user shipline) and /readyz answered 200"

# The live unit, sandbox included, as systemd runs it.
unit_files=$(in_ct "ls /lib/systemd/system/shipline*" | xargs)
verify=$(in_ct "systemd-analyze verify $unit_files 2>&1") || fail "systemd-analyze verify: $verify"
[[ -z $verify ]] || fail "systemd-analyze verify: $verify"
for unit in shipline.service shipline-email-worker.service shipline-backup.service; do
  score=$(in_ct "systemd-analyze security --no-pager $unit" | grep 'Overall exposure level' | sed 's/.*: //')
  say "systemd-analyze security $unit: $score"
  [[ $score =~ (SAFE|OK) ]] || fail "$unit scores '$score', worse than OK"
done

wait_for 40 "no WATCHDOG=1 from serve" \
  "journalctl --no-pager -o cat _PID=1 | grep -q 'shipline.service: Got notification message from PID $main_pid (WATCHDOG=1)'"
say "WATCHDOG=1 arrives; freezing PID $main_pid (SIGSTOP) for the watchdog"
in_ct "kill -STOP $main_pid"
# WatchdogSec=30s: systemd aborts the frozen process, then restarts it (RestartSec=5s).
wait_for 150 "systemd did not restart the frozen service" \
  "[ \$(systemctl show -P NRestarts shipline.service) -ge 1 ] && \
   [ \$(systemctl show -P ActiveState shipline.service) = active ]"
new_pid=$(prop shipline.service MainPID)
[[ $new_pid != "$main_pid" ]] || fail "the main PID did not change"
has "Watchdog timeout" "journalctl --no-pager -o cat -u shipline.service" ||
  fail "the restart was not the watchdog's"
code=$(readyz) || true
[[ $code == 200 ]] || fail "/readyz answered '$code' after the restart"
say "watchdog: restarted (NRestarts=$(prop shipline.service NRestarts), PID $new_pid), /readyz 200"

in_ct "systemctl stop shipline.service"
[[ $(prop shipline.service Result) == success ]] || fail "stop: Result=$(prop shipline.service Result)"
exited=$(in_ct "journalctl --no-pager -o cat -u shipline.service" | grep 'Main process exited' | tail -n1)
[[ $exited == *"code=exited, status=0/SUCCESS"* ]] || fail "stop: $exited"
has "shipline.service: Got notification message from PID $new_pid (STOPPING=1)" "journalctl --no-pager -o cat _PID=1" ||
  fail "no STOPPING=1 from serve in the journal"
has '"msg":"stopped"' "journalctl --no-pager -o cat _PID=$new_pid" || fail "serve did not log 'stopped'"
say "systemctl stop: STOPPING=1, exit 0, 'stopped' logged"
in_ct "systemctl start shipline.service" || fail "start after stop"

# As packaged, the worker has no broker: a configuration error, not restarted.
in_ct "systemctl start shipline-email-worker.service" || true
wait_for 20 "the email worker without a broker did not fail" \
  "systemctl is-failed -q shipline-email-worker.service"
[[ $(prop shipline-email-worker.service ExecMainStatus) == 2 ]] || fail "worker without a broker: not exit 2"
sleep 6  # longer than RestartSec
[[ $(prop shipline-email-worker.service NRestarts) == 0 ]] || fail "the worker without a broker was restarted"
has '--broker is required' "journalctl --no-pager -o cat -u shipline-email-worker.service" ||
  fail "the worker did not say why it stopped"
in_ct "systemctl reset-failed shipline-email-worker.service"
say "email worker without a broker: exit 2, failed, not restarted"
# No broker listens in the container: the worker must wait for one, not crash.
in_ct "mkdir -p /etc/systemd/system/shipline-email-worker.service.d && \
  printf '[Service]\nEnvironment=SHIPLINE_BROKER=stomp://127.0.0.1:61613\n' \
    >/etc/systemd/system/shipline-email-worker.service.d/broker.conf && systemctl daemon-reload"
in_ct "systemctl start shipline-email-worker.service" || fail "the email worker did not start"
wait_for 30 "the email worker logged no 3 retries" \
  "[ \$(journalctl --no-pager -o cat -u shipline-email-worker.service | grep -c retry_in_ms) -ge 3 ]"
worker_state=$(prop shipline-email-worker.service ActiveState)/$(prop shipline-email-worker.service SubState)
[[ $worker_state == active/running ]] || fail "email worker is $worker_state"
[[ $(prop shipline-email-worker.service NRestarts) == 0 ]] || fail "the email worker restarted"
retries=$(in_ct "journalctl --no-pager -o cat -u shipline-email-worker.service" | grep -c retry_in_ms || true)
say "email worker, broker down: active, 0 restarts, $retries retries logged"
in_ct "systemctl stop shipline-email-worker.service"
[[ $(prop shipline-email-worker.service Result) == success ]] || fail "the email worker did not stop cleanly"

has shipline-backup.timer "systemctl list-timers --all --no-legend shipline-backup.timer" ||
  fail "shipline-backup.timer is not listed"
in_ct "systemctl start shipline-backup.service" || fail "shipline-backup.service failed"
[[ $(prop shipline-backup.service Result) == success ]] || fail "backup: Result=$(prop shipline-backup.service Result)"
backups=$(in_ct "ls /var/backups/shipline/shipline-*.tar" | wc -l)
((backups == 1)) || fail "$backups backups in /var/backups/shipline"
[[ $(readyz) == 200 ]] || fail "/readyz after the backup"
say "shipline-backup.timer listed; shipline-backup.service wrote $(in_ct "ls /var/backups/shipline")"

# A database that is down at start: serve exits 1 and systemd tries again every
# RestartSec, under the start limit (5 starts in 10 s), until it is up.
in_ct "systemctl stop shipline.service && mkdir -p /etc/systemd/system/shipline.service.d && \
  printf '[Service]\nEnvironment=SHIPLINE_DATABASE=postgres://shipline@127.0.0.1:1/shipline\n' \
    >/etc/systemd/system/shipline.service.d/database.conf && systemctl daemon-reload"
restarts_before=$(prop shipline.service NRestarts)
in_ct "systemctl start --no-block shipline.service"
wait_for 40 "serve with its database down was not retried 3 times" \
  "[ \$(systemctl show -P NRestarts shipline.service) -ge $((restarts_before + 3)) ]"
[[ $(prop shipline.service Result) != start-limit-hit ]] || fail "serve hit the start limit"
in_ct "systemctl is-failed -q shipline.service" && fail "serve with its database down ended failed"
has '"msg":"cannot open the store"' "journalctl --no-pager -o cat -u shipline.service" ||
  fail "serve did not log why it could not start"
in_ct "rm /etc/systemd/system/shipline.service.d/database.conf && systemctl daemon-reload"
wait_for 30 "serve did not come back once its database was there" \
  "systemctl is-active -q shipline.service"
say "database down at start: retried every RestartSec, no start limit; back once it is there"

# An upgrade (here the same version again): postinst restarts the running service.
old_pid=$(prop shipline.service MainPID)
in_ct "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall /root/$name >/tmp/apt.log 2>&1 \
  || { cat /tmp/apt.log; exit 1; }" || fail "apt-get install --reinstall"
[[ $(prop shipline.service ActiveState) == active ]] || fail "shipline.service is not active after the upgrade"
[[ $(prop shipline.service MainPID) != "$old_pid" ]] || fail "the upgrade did not restart serve"
[[ $(readyz) == 200 ]] || fail "/readyz after the upgrade"
say "upgrade (--reinstall): serve restarted by postinst, /readyz 200"

say "apt-get purge shipline under systemd"
in_ct "DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq shipline >/tmp/purge.log 2>&1 || { cat /tmp/purge.log; exit 1; }" ||
  fail "apt-get purge"
in_ct "pgrep -u shipline" && fail "shipline processes are left after the purge"
for unit in shipline.service shipline-backup.timer; do
  [[ $(prop $unit LoadState) == not-found ]] || fail "$unit still loaded after the purge"
done
has shipline "systemctl list-timers --all --no-legend" && fail "a shipline timer is left"
say "ok"
