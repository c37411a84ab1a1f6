#!/usr/bin/env bash
# chroot-run.sh DIR COMMAND...: runs COMMAND (through sh -c) as root inside the
# root DIR made by fresh-root.sh, with /proc, /sys and /dev mounted for the
# time of the command. The host's network (loopback included) is shared.
set -euo pipefail
dir=${1:?usage: chroot-run.sh DIR COMMAND...}
shift
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -R -l "${mounted[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount -t proc proc "$dir/proc" && mounted+=("$dir/proc")
mount -t sysfs sys "$dir/sys" && mounted+=("$dir/sys")
mount --rbind /dev "$dir/dev" && mount --make-rslave "$dir/dev" && mounted+=("$dir/dev")
chroot "$dir" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c "$*"
