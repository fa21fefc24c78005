#!/usr/bin/env bash
# Release messages Gannet found clean from Postfix's hold queue.
#
#   release-held.sh [--postfix-config DIR] [--gannet-config FILE] [--settle SECONDS] REQUEST_DIR
#
# The sandboxed daemon cannot run postsuper (it needs root); for each clean
# verdict it leaves an empty file named after the queue id in REQUEST_DIR
# (`gannet request-release`). systemd/gannet-release.path starts this script
# as root whenever that directory is not empty. A request reaches postsuper
# only if Gannet's verdict log says Gannet held that message and found it clean
# (`gannet verify-release`): the directory belongs to the daemon's user, and a
# request must not release what another filter or an administrator held. It is
# passed to `postsuper -H` and removed once the message was released. A request
# whose id is not held, or not yet in the verdict log (the daemon appends the
# line just after it asks), is kept for SETTLE seconds (Postfix may still be
# moving the message into the hold queue), then dropped; one whose last verdict
# does not release it is dropped at once. postsuper -H is idempotent, so
# repeating a request is harmless. Names other than queue ids, and "ALL", are
# removed unread.
set -euo pipefail

readonly PROG=${0##*/}
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }

config=()
gannet_config=()
settle=60
while (($#)); do
    case $1 in
        --postfix-config) config=(-c "$2"); shift 2 ;;
        --gannet-config) gannet_config=(--config "$2"); shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --) shift; break ;;
        -*) die "unknown option $1" ;;
        *) break ;;
    esac
done
(($# == 1)) || die "usage: $PROG [--postfix-config DIR] [--gannet-config FILE] [--settle SECONDS] REQUEST_DIR"
readonly dir=$1
[[ -d $dir ]] || die "no such directory: $dir"

deadline=$((SECONDS + settle + 5))
while :; do
    shopt -s nullglob
    requests=("$dir"/*)
    shopt -u nullglob
    ((${#requests[@]})) || exit 0
    now=$(date +%s)
    for request in "${requests[@]}"; do
        id=${request##*/}
        # "ALL" is postsuper's word for the whole hold queue, malware included: never a request.
        if [[ ! $id =~ ^[A-Za-z0-9]{1,64}$ || $id == ALL ]]; then
            rm -f -- "$request"
            continue
        fi
        settled=$(( now - $(stat -c %Y -- "$request") > settle ))
        status=0
        verified=$(gannet verify-release "${gannet_config[@]}" -- "$id" 2>&1) || status=$?
        if ((status == 1)); then
            rm -f -- "$request"
            printf '%s: %s: refused: %s\n' "$PROG" "$id" "$verified" >&2
            continue
        elif ((status != 0)); then
            if ((settled)); then
                rm -f -- "$request"
                printf '%s: %s: refused: %s\n' "$PROG" "$id" "$verified" >&2
            fi
            continue
        fi
        out=$(postsuper "${config[@]}" -H "$id" 2>&1) || { printf '%s: %s: %s\n' "$PROG" "$id" "$out" >&2; continue; }
        if [[ $out =~ Released\ from\ hold:\ ([0-9]+) ]] && ((BASH_REMATCH[1] > 0)); then
            rm -f -- "$request"
            printf '%s: %s: released\n' "$PROG" "$id"
        elif ((settled)); then
            rm -f -- "$request"
            printf '%s: %s: not held; request dropped\n' "$PROG" "$id"
        fi
    done
    ((SECONDS < deadline)) || exit 0
    sleep 1
done
