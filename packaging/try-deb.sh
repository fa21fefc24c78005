#!/usr/bin/env bash
# Install a Gannet .deb into a throwaway copy of this machine, check it, remove and purge it.
#
#   try-deb.sh DEB
#
# /etc, /var and /usr are overlaid (writes go to a temporary directory) in a private mount
# namespace, so dpkg, the maintainer scripts and the installed binary run for real while
# the machine itself is left untouched. Prints what it checks; exits non-zero on the first
# failure. Needs root (mounts) and unshare.
set -euo pipefail

readonly PROG=${0##*/}
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }

(($# == 1)) || die "usage: $PROG DEB"
deb=$(readlink -f "$1")
[[ -f $deb ]] || die "no such file: $1"
((EUID == 0)) || die "must run as root (overlay mounts)"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

unshare --mount --propagation private "$BASH" -c '
    set -euo pipefail
    scratch=$1 deb=$2
    for dir in etc var usr; do
        mkdir -p "$scratch/$dir-upper" "$scratch/$dir-work"
        mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$scratch/$dir-upper,workdir=$scratch/$dir-work" "/$dir"
    done
    step() { printf "== %s\n" "$*"; }
    expect() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAILED: $what" >&2; exit 1; fi; }
    step install
    DEBIAN_FRONTEND=noninteractive dpkg -i "$deb"
    step "gannet check"
    /usr/bin/gannet check --config /etc/gannet/gannet.toml
    step "user and groups"
    id -nG gannet
    step "directories"
    stat -c "%n %U:%G %a" /etc/gannet /var/lib/gannet /var/lib/gannet/release "$(postconf -h queue_directory)/gannet"
    expect "no unit enabled" test -z "$(find /etc/systemd/system -name "gannet*" 2>/dev/null)"
    step remove
    dpkg -r gannet
    expect "configuration kept" test -f /etc/gannet/gannet.toml
    expect "state kept" test -d /var/lib/gannet
    expect "binary removed" test ! -e /usr/bin/gannet
    step purge
    dpkg --purge gannet
    expect "configuration purged" test ! -e /etc/gannet
    expect "state purged" test ! -e /var/lib/gannet
    step done
' try-deb "$scratch" "$deb"
