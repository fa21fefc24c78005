#!/usr/bin/env bash
# Time to verdict of deferred messages under a steady load.
#
#   packaging/bench-async.sh [--messages M] [--sessions S] [--interval TIME] [--size BYTES] [--workers W]
#
# One private Postfix on 127.0.0.1 (packaging/postfix-private.sh) with the release-built
# Gannet daemon as its milter, configured so that every message is deferred (a 1 KiB inline
# byte budget) and held, scored in full by the daemon's workers and released with the real
# postsuper. smtp-source sends S sessions, each waiting TIME (a Postfix time: 1s, 2s) between
# messages, so the offered load is about S/TIME messages per second, in bursts of S; with
# --interval 0 each session sends its next message as soon as the last was accepted.
# Prints the time from spooling to the full verdict (p50, p99, max, from the verdict log),
# the release-to-delivery outcome, and the daemon's own histogram. Must run as root.
set -euo pipefail

readonly PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/packaging/bench-lib.sh"
MESSAGES=1000 SESSIONS=40 INTERVAL=1s SIZE=4000 WORKERS=2
while (($#)); do
    case $1 in
        --messages) MESSAGES=$2; shift 2 ;;
        --sessions) SESSIONS=$2; shift 2 ;;
        --interval) INTERVAL=$2; shift 2 ;;
        --size) SIZE=$2; shift 2 ;;
        --workers) WORKERS=$2; shift 2 ;;
        *) echo "usage: $PROG [--messages M] [--sessions S] [--interval TIME] [--size BYTES] [--workers W]" >&2; exit 2 ;;
    esac
done
((EUID == 0)) || { echo "$PROG: must run as root" >&2; exit 1; }
((SIZE > 2048)) || { echo "$PROG: --size must exceed 2048 bytes, or the inline pass decides" >&2; exit 2; }

bench_build
bench_work gannet-bench-async
cleanup() {
    "$ROOT/packaging/postfix-private.sh" stop "$WORK/postfix" >/dev/null 2>&1 || true
    [[ -z ${DAEMON:-} ]] || kill "$DAEMON" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/gannet.toml" <<TOML
[milter]
socket_group = "postfix"
[metrics]
listen = "127.0.0.1:0"
[detection]
inline_byte_budget = 1024
[async]
workers = $WORKERS
queue_capacity = $((MESSAGES + 1000))
release_command = ["/usr/sbin/postsuper", "-c", "$WORK/postfix/etc", "-H"]
TOML
bench_start_gannet

PORT=$(free_port)
"$ROOT/packaging/postfix-private.sh" start "$WORK/postfix" --port "$PORT" --milter "unix:$WORK/milter.sock" >&2

verdicts() { { wc -l < "$WORK/state/verdicts.jsonl"; } 2>/dev/null || echo 0; }

start=$(date +%s.%N)
pace=()
[[ $INTERVAL == 0 ]] || pace=(-w "$INTERVAL")
smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" "${pace[@]}" -f load@example.org -t user@gannet.test "127.0.0.1:$PORT"
sent=$(date +%s.%N)
for _ in $(seq 1200); do (($(delivered "$WORK/postfix") >= MESSAGES)) && break; sleep 0.1; done
done_at=$(date +%s.%N)

echo "messages=$MESSAGES sessions=$SESSIONS interval=$INTERVAL size=$SIZE workers=$WORKERS"
python3 -c "print(f'offered load: {$MESSAGES / ($sent - $start):.1f} msg/s; all delivered {($done_at - $sent):.2f} s after the last was accepted')"
echo "verdicts logged: $(verdicts); delivered after release: $(delivered "$WORK/postfix") of $MESSAGES; left in hold: $(postqueue -c "$WORK/postfix/etc" -j | grep -c '"queue_name": *"hold"' || true)"
python3 - "$WORK/state/verdicts.jsonl" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
outcomes = {}
for record in records:
    outcomes[record["outcome"]] = outcomes.get(record["outcome"], 0) + 1
latencies = sorted((r["decided_at"] - r["spooled_at"]) * 1000 for r in records if r["outcome"] != "unscored")
def pick(q):
    return latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"outcomes: {outcomes}")
print(f"time from spool to full verdict ({len(latencies)} messages): p50 {pick(0.5):.1f} ms, p99 {pick(0.99):.1f} ms, max {latencies[-1]:.1f} ms")
PY
curl -s "http://127.0.0.1:$(metrics_port)/metrics" | grep -E '^gannet_async_(verdict_seconds_(sum|count)|queue_depth|verdicts_total)'
