#!/usr/bin/env bash
# Run Gannet attached to a private Postfix on 127.0.0.1, to send it test mail by hand.
#
#   packaging/run-local.sh [--port PORT] [--config FILE] [--model FILE] [--dir DIR]
#
# Builds the daemon (release, as users run it), starts it (unless --config is given, on the
# default configuration with one change: deferred messages found clean are released with this
# instance's own postsuper; with the default model etc/gannet/model.gmodel unless --model
# says otherwise, "" for none) and a private Postfix instance wired to it, prints how to send mail, and runs
# until Ctrl-C, then stops both. Must run as root (Postfix's master).
set -euo pipefail

readonly PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=2525 CONFIG= DIR=/tmp/gannet-local MODEL=$ROOT/etc/gannet/model.gmodel
while (($#)); do
    case $1 in
        --port) PORT=$2; shift 2 ;;
        --config) CONFIG=$(realpath "$2"); shift 2 ;;
        --model) MODEL=${2:+$(realpath "$2")}; shift 2 ;;
        --dir) DIR=$2; shift 2 ;;
        *) echo "usage: $PROG [--port PORT] [--config FILE] [--model FILE] [--dir DIR]" >&2; exit 2 ;;
    esac
done
((EUID == 0)) || { echo "$PROG: must run as root" >&2; exit 1; }

# The release build, as users run it: a debug build takes milliseconds per message inline.
swift build -c release --package-path "$ROOT" --product gannet
GANNET=$(swift build -c release --package-path "$ROOT" --show-bin-path)/gannet

mkdir -p "$DIR"
chmod 0755 "$DIR"
"$ROOT/packaging/postfix-private.sh" stop "$DIR/postfix" >/dev/null 2>&1 || true

if [[ -z $CONFIG ]]; then
    CONFIG=$DIR/gannet.toml
    printf '[async]\nrelease_command = ["/usr/sbin/postsuper", "-c", "%s", "-H"]\n' "$DIR/postfix/etc" > "$CONFIG"
fi
serve=("$GANNET" serve --socket "unix:$DIR/milter.sock" --state-dir "$DIR/state" --config "$CONFIG" --model "$MODEL")
"${serve[@]}" &
DAEMON=$!
stop_all() {
    "$ROOT/packaging/postfix-private.sh" stop "$DIR/postfix" || true
    kill "$DAEMON" 2>/dev/null || true
    wait "$DAEMON" 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 0' INT TERM
for _ in $(seq 100); do [[ -S $DIR/milter.sock ]] && break; sleep 0.1; done
[[ -S $DIR/milter.sock ]] || { echo "$PROG: the daemon did not start" >&2; exit 1; }

"$ROOT/packaging/postfix-private.sh" start "$DIR/postfix" --port "$PORT" --milter "unix:$DIR/milter.sock"
cat <<TXT

Gannet (pid $DAEMON) is filtering a private Postfix on 127.0.0.1:$PORT.
  send:      swaks --server 127.0.0.1:$PORT --from alice@example.org --to user@gannet.test
  delivered: ls $DIR/postfix/mail/inbox/new
  held:      postqueue -c $DIR/postfix/etc -p      (release: postsuper -c $DIR/postfix/etc -H QUEUE_ID)
  verdicts:  $DIR/state/verdicts.jsonl   (full verdicts on deferred messages)
  history:   $GANNET baselines --config $CONFIG --state-dir $DIR/state alice@example.org --to user@gannet.test
  postfix:   $DIR/postfix/maillog
  reload:    kill -HUP $DAEMON
Ctrl-C stops both.
TXT
wait "$DAEMON"
