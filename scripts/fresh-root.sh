#!/usr/bin/env bash
# fresh-root.sh DIR: makes DIR a clean Debian bookworm root (debootstrap's
# minbase variant: apt and the required packages, no make, no compiler, no
# curl), from the Debian mirror this machine's apt uses. The debootstrap
# result is kept as a tarball in $SHIPLINE_FRESH_CACHE (/var/tmp/shipline-fresh)
# so later runs start from the same clean root without downloading it again.
# The root is a fresh machine on this machine's network: it gets the name
# server, the certificate authorities this network adds (a TLS-inspecting
# egress proxy's, in /usr/local/share/ca-certificates: trusted once the root
# installs ca-certificates) and npm's global settings (/etc/npmrc), and nothing
# else of the host's.
# Runs as root. Use scripts/chroot-run.sh DIR COMMAND... to run inside it.
# fresh-root.sh --remove DIR [keep]: unmounts what chroot-run.sh mounted in DIR
# and deletes it (keeps it with `keep`); fails, keeping DIR, if a mount stays.
set -euo pipefail
if [[ ${1:-} == --remove ]]; then
  dir=${2:?usage: fresh-root.sh --remove DIR [keep]}
  for m in dev sys proc; do umount -R -l "$dir/$m" 2>/dev/null || true; done
  # Never delete through a mount that is still there (the host's /dev).
  for m in dev sys proc; do
    if mountpoint -q "$dir/$m"; then echo "$dir/$m still mounted: root kept" >&2; exit 1; fi
  done
  if [[ -z ${3:-} ]]; then rm -rf "$dir"; else echo "fresh-root: root kept in $dir"; fi
  exit 0
fi
dir=${1:?usage: fresh-root.sh DIR}
cache=${SHIPLINE_FRESH_CACHE:-/var/tmp/shipline-fresh}
tarball=$cache/bookworm-minbase.tar

mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
           2>/dev/null | grep -E '^(deb|URIs:) ' | grep -v security | awk '{print $2}' | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

if [[ ! -f $tarball ]]; then
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
  fi
  mkdir -p "$cache"
  rm -rf "$cache/pristine"
  echo "fresh-root: debootstrap bookworm from $mirror (once; cached in $tarball)"
  debootstrap --variant=minbase bookworm "$cache/pristine" "$mirror" >"$cache/debootstrap.log"
  tar -C "$cache/pristine" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  rm -rf "$cache/pristine"
fi

for m in dev sys proc; do
  if mountpoint -q "$dir/$m"; then echo "fresh-root: $dir/$m is mounted; refusing to replace $dir" >&2; exit 1; fi
done
rm -rf "$dir"
mkdir -p "$dir"
tar -C "$dir" -xf "$tarball"
cp /etc/resolv.conf "$dir/etc/resolv.conf"
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
  mkdir -p "$dir/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$dir/usr/local/share/ca-certificates/"
fi
for npmrc in /etc/npmrc /usr/etc/npmrc; do
  if [[ -f $npmrc ]]; then mkdir -p "$dir${npmrc%/*}"; cp "$npmrc" "$dir$npmrc"; fi
done
echo "fresh-root: clean bookworm root in $dir"
