#!/usr/bin/env bash
# Throughput of Postfix with and without Gannet, in the same run.
#
#   packaging/bench-postfix.sh [--runs N] [--messages M] [--sessions S] [--size BYTES] [--baselines embedded|off]
#
# Two private Postfix instances on 127.0.0.1 (packaging/postfix-private.sh), one bare and
# one with the release-built Gannet daemon as its milter, take turns receiving the same
# smtp-source load; each run waits for the queue to drain before the next. Prints every
# run, the median rate of each side and their ratio. Must run as root (Postfix's master).
# Gannet runs its embedded baselines (a lookup and a lesson per message) unless
# --baselines off.
set -euo pipefail

readonly PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/packaging/bench-lib.sh"
RUNS=5 MESSAGES=2000 SESSIONS=8 SIZE=4000 BASELINES=embedded
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --messages) MESSAGES=$2; shift 2 ;;
        --sessions) SESSIONS=$2; shift 2 ;;
        --size) SIZE=$2; shift 2 ;;
        --baselines) BASELINES=$2; shift 2 ;;
        *) echo "usage: $PROG [--runs N] [--messages M] [--sessions S] [--size BYTES] [--baselines embedded|off]" >&2; exit 2 ;;
    esac
done
((EUID == 0)) || { echo "$PROG: must run as root" >&2; exit 1; }

bench_build
bench_work gannet-bench
cleanup() {
    "$ROOT/packaging/postfix-private.sh" stop "$WORK/bare" >/dev/null 2>&1 || true
    "$ROOT/packaging/postfix-private.sh" stop "$WORK/gannet" >/dev/null 2>&1 || true
    [[ -z ${DAEMON:-} ]] || kill "$DAEMON" 2>/dev/null || true
    wait 2>/dev/null || true
    # A failed run keeps its logs (gannet.log, */maillog) for a look.
    if [[ -n ${FAILED:-} ]]; then echo "$PROG: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

cat > "$WORK/gannet.toml" <<TOML
[milter]
socket_group = "postfix"
[metrics]
listen = "127.0.0.1:0"
[lists]
blocked_senders = ["blocked@evil.example"]
blocked_domains = ["phish.test"]
[baselines]
store = "$BASELINES"
[async]
# A message whose inline decision overran its budget on a busy machine is held and scored in
# full; it is released straight from this private instance's hold queue.
release_command = ["/usr/sbin/postsuper", "-c", "$WORK/gannet/etc", "-H"]
TOML
bench_start_gannet

BARE_PORT=$(free_port)
"$ROOT/packaging/postfix-private.sh" start "$WORK/bare" --port "$BARE_PORT" >&2
GANNET_PORT=$(free_port)
"$ROOT/packaging/postfix-private.sh" start "$WORK/gannet" --port "$GANNET_PORT" --milter "unix:$WORK/milter.sock" >&2

# One smtp-source run; prints messages per second accepted at end of DATA.
run_once() {
    local dir=$1 port=$2 before start end
    before=$(delivered "$dir")
    start=$(date +%s.%N)
    smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f load@example.org -t user@gannet.test "127.0.0.1:$port"
    end=$(date +%s.%N)
    # Let delivery finish so the next run starts from a quiet machine.
    for _ in $(seq 600); do (($(delivered "$dir") >= before + MESSAGES)) && break; sleep 0.1; done
    (($(delivered "$dir") >= before + MESSAGES)) || { FAILED=1; echo "$PROG: $dir: $(($(delivered "$dir") - before)) of $MESSAGES delivered within 60 s" >&2; exit 1; }
    python3 -c "print(f'{$MESSAGES / ($end - $start):.1f}')"
}

# Postfix spawns its smtpd/cleanup processes on demand: one unmeasured run per side first,
# or the first measured runs mostly time process start-up.
run_once "$WORK/bare" "$BARE_PORT" >/dev/null
run_once "$WORK/gannet" "$GANNET_PORT" >/dev/null

echo "messages=$MESSAGES sessions=$SESSIONS size=$SIZE runs=$RUNS (after one warm-up run each)"
bare=() with=()
for i in $(seq "$RUNS"); do
    bare+=("$(run_once "$WORK/bare" "$BARE_PORT")")
    with+=("$(run_once "$WORK/gannet" "$GANNET_PORT")")
    echo "run $i: no milter ${bare[-1]} msg/s, gannet ${with[-1]} msg/s"
done
b=$(median "${bare[@]}")
g=$(median "${with[@]}")
verdicts=$(grep -l '^X-Gannet-Verdict: accept' "$WORK"/gannet/mail/inbox/new/* | wc -l)
echo "median: no milter $b msg/s, gannet $g msg/s, ratio $(python3 -c "print(f'{$g / $b:.2f}')")"
echo "messages delivered through gannet with a verdict header: $verdicts of $(((RUNS + 1) * MESSAGES))"

# The daemon's own view: its inline decision histogram (bucket upper bounds).
python3 - "$(metrics_port)" <<'PY'
import sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
buckets = []
for line in text.splitlines():
    if line.startswith('gannet_inline_decision_seconds_bucket{le="'):
        bound = line.split('"')[1]
        buckets.append((float("inf") if bound == "+Inf" else float(bound), int(line.split()[-1])))
total = buckets[-1][1]
def quantile(q):
    return next(bound for bound, count in buckets if count >= q * total)
print(f"daemon inline decision (gannet_inline_decision_seconds, {total} messages): p50 <= {quantile(0.5) * 1e6:.0f} us, p99 <= {quantile(0.99) * 1e6:.0f} us")
PY
