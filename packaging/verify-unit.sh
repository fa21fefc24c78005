#!/usr/bin/env bash
# Check a systemd unit file offline: "systemd-analyze verify" must print
# nothing (it exits 0 on unknown keys, so any output counts as failure).
#   verify-unit.sh UNITFILE
set -euo pipefail

readonly PROG=${0##*/}
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }

(($# == 1)) || die "usage: $PROG UNITFILE"
unit=$1
[[ -f $unit ]] || die "no such file: $unit"
command -v systemd-analyze >/dev/null || die "systemd-analyze not found (apt-get install systemd)"

# verify insists that the ExecStart= binary exists, and the daemon is not
# installed where this runs: check a copy that starts /bin/true instead.
# The copy keeps the unit's file name, which decides its type and name.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy=$tmp/${unit##*/}
sed -E 's#^(ExecStart=[-@:+!]*)[^[:space:]]+#\1/bin/true#' "$unit" > "$copy"

# No generators or man-page lookups: both depend on the host, not the unit.
status=0
out=$(systemd-analyze verify --man=no --generators=no "$copy" 2>&1) || status=$?
if [[ -n $out || $status -ne 0 ]]; then
    printf '%s\n' "${out//$tmp\//}" >&2
    die "$unit: systemd-analyze verify failed (exit $status)"
fi
echo "$PROG: $unit: verify OK"

# Offline security scoring exists from systemd 250 on.
if systemd-analyze --help 2>/dev/null | grep -q -- '--offline='; then
    systemd-analyze security --offline=yes "$copy" 2>&1 | grep -F 'Overall exposure level' || true
fi
