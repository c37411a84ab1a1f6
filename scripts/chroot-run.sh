#!/usr/bin/env bash
# chroot-run.sh DIR COMMAND...: runs COMMAND (through sh -c) as root inside the
# root DIR made by fresh-root.sh, with /proc, /sys and /dev mounted for the
# time of the command (those another chroot-run.sh already mounted are used and
# left to it). The host's network (loopback included) is shared.
set -euo pipefail
dir=${1:?usage: chroot-run.sh DIR COMMAND...}
shift
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -R -l "${mounted[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
if ! mountpoint -q "$dir/proc"; then mount -t proc proc "$dir/proc"; mounted+=("$dir/proc"); fi
if ! mountpoint -q "$dir/sys"; then mount -t sysfs sys "$dir/sys"; mounted+=("$dir/sys"); fi
if ! mountpoint -q "$dir/dev"; then
  mount --rbind /dev "$dir/dev"
  mounted+=("$dir/dev")
  mount --make-rslave "$dir/dev"
fi
chroot "$dir" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c "$*"
