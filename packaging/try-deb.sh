#!/usr/bin/env bash
# Install a Gannet .deb into a throwaway copy of this machine, check it, remove and purge it.
#
#   try-deb.sh DEB
#
# /etc, /var and /usr are overlaid (writes go to a temporary directory) in a private mount
# namespace, so dpkg, the maintainer scripts and the installed binary run for real while
# the machine itself is left untouched. The installed daemon, on the packaged configuration
# and model, filters a message through a private Postfix on 127.0.0.1. Prints what it
# checks; exits non-zero on the first failure. Needs root (mounts), unshare and swaks.
set -euo pipefail

readonly PROG=${0##*/}
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }

(($# == 1)) || die "usage: $PROG DEB"
deb=$(readlink -f "$1")
[[ -f $deb ]] || die "no such file: $1"
((EUID == 0)) || die "must run as root (overlay mounts)"

root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
chmod 0755 "$scratch"     # Postfix's smtpd, not root, must reach the milter socket in it
trap 'rm -rf "$scratch"' EXIT

unshare --mount --propagation private "$BASH" -c '
    set -euo pipefail
    scratch=$1 deb=$2 root=$3
    for dir in etc var usr; do
        mkdir -p "$scratch/$dir-upper" "$scratch/$dir-work"
        mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$scratch/$dir-upper,workdir=$scratch/$dir-work" "/$dir"
    done
    # A failed step must not leave the daemon or Postfix running: they would keep the pipes of
    # whoever ran this script open, and it would wait for them forever.
    daemon="" mail=""
    cleanup() {
        if [[ -n $mail && -d $mail/postfix ]]; then "$root/packaging/postfix-private.sh" stop "$mail/postfix" >/dev/null 2>&1 || true; fi
        if [[ -n $daemon ]]; then kill "$daemon" 2>/dev/null || true; fi
    }
    trap cleanup EXIT
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
    expect "configuration not writable by gannet" setpriv --reuid gannet --regid gannet --init-groups test ! -w /etc/gannet
    expect "model in service is the shipped one" test "$(readlink /var/lib/gannet/model.gmodel)" = /usr/share/gannet/model.gmodel
    expect "no unit enabled" test -z "$(find /etc/systemd/system -name "gannet*" 2>/dev/null)"
    step "mail through a private Postfix and the installed daemon"
    mail=$scratch/mail
    mkdir -m 0755 "$mail"
    /usr/bin/gannet serve --config /etc/gannet/gannet.toml --socket "unix:$mail/milter.sock" --state-dir "$mail/state" 2>"$mail/gannet.log" &
    daemon=$!
    for _ in $(seq 100); do [[ -S $mail/milter.sock ]] && break; sleep 0.1; done
    expect "daemon listening" test -S "$mail/milter.sock"
    port=$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])")
    "$root/packaging/postfix-private.sh" start "$mail/postfix" --port "$port" --milter "unix:$mail/milter.sock"
    swaks --silent 2 --server "127.0.0.1:$port" --from alice@example.org --to user@gannet.test --header "Subject: lunch" --body "See you at noon."
    for _ in $(seq 300); do
        [[ -n $(ls "$mail/postfix/mail/inbox/new" 2>/dev/null) ]] && break
        # A deferred message stays held until its full verdict asks for release; do what
        # gannet-release.path does, against the private instance.
        if [[ -n $(ls /var/lib/gannet/release 2>/dev/null) ]]; then
            printf "[async]\nverdict_log = \"%s\"\n" "$mail/state/verdicts.jsonl" >"$mail/helper.toml"
            /usr/lib/gannet/release-held.sh --postfix-config "$mail/postfix/etc" --gannet-config "$mail/helper.toml" --settle 5 /var/lib/gannet/release
        fi
        sleep 0.1
    done
    expect "delivered with its verdict header" grep -q "^X-Gannet-Verdict: \(accept\|defer\) .*model=gannet-" "$mail"/postfix/mail/inbox/new/*
    "$root/packaging/postfix-private.sh" stop "$mail/postfix"
    kill "$daemon"
    wait "$daemon" || true
    daemon="" mail=""
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
' try-deb "$scratch" "$deb" "$root"
