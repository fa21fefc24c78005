#!/usr/bin/env bash
# Throughput of Postfix with no milter, with Gannet and with rspamd's milter, in the same run.
#
#   packaging/bench-side-by-side.sh [--runs N] [--messages M] [--sessions S] [--size BYTES]
#                                   [--corpus MANIFEST] [--corpus-messages N]
#
# Three private Postfix instances on 127.0.0.1 (packaging/postfix-private.sh): one bare, one
# with the release-built Gannet daemon as its milter, one with rspamd's proxy worker in milter
# mode (self_scan, the Debian package's rules and maps, two processes for the two cores). They
# take turns receiving the same smtp-source load; each run waits for delivery before the next.
# Then they take turns receiving real messages (the first N of the manifest's test split,
# default ../shared/corpus), replayed by packaging/smtp-replay.py, which times each
# transaction up to the reply after DATA; each run waits for the queue to drain (held and
# rejected messages included).
# rspamd runs offline: modules that query the network (RBLs, SPF, DKIM, DMARC, ARC, fuzzy,
# ASN, URL reputation) are off and its resolver points at a closed port, so no check waits on
# DNS; what remains is its parser, regexp (hyperscan) rules, Lua plugins and local maps.
# Prints every run, the median of each side and the ratios. Must run as root; needs the
# rspamd package (apt-get install rspamd; its own service is not used).
set -euo pipefail

readonly PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/packaging/bench-lib.sh"
RUNS=5 MESSAGES=2000 SESSIONS=8 SIZE=4000 CORPUS=$ROOT/../shared/corpus/manifest.tsv CORPUS_MESSAGES=1000
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --messages) MESSAGES=$2; shift 2 ;;
        --sessions) SESSIONS=$2; shift 2 ;;
        --size) SIZE=$2; shift 2 ;;
        --corpus) CORPUS=$2; shift 2 ;;
        --corpus-messages) CORPUS_MESSAGES=$2; shift 2 ;;
        *) echo "usage: $PROG [--runs N] [--messages M] [--sessions S] [--size BYTES] [--corpus MANIFEST] [--corpus-messages N]" >&2; exit 2 ;;
    esac
done
((EUID == 0)) || { echo "$PROG: must run as root" >&2; exit 1; }
command -v rspamd >/dev/null || { echo "$PROG: rspamd not found (apt-get install rspamd)" >&2; exit 1; }

bench_build
bench_work gannet-bench
cleanup() {
    for side in bare gannet rspamd; do "$ROOT/packaging/postfix-private.sh" stop "$WORK/$side" >/dev/null 2>&1 || true; done
    [[ -z ${DAEMON:-} ]] || kill "$DAEMON" 2>/dev/null || true
    [[ -z ${RSPAMD:-} ]] || kill "$RSPAMD" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
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
[detection]
model = "$ROOT/etc/gannet/model.gmodel"
# Deferred messages are delivered at once and scored in full in the background, so every
# message reaches the Maildir without a release step; the queue is large enough that none is
# held unscored, and each run waits for it to drain (run_gannet below).
on_defer = "accept"
[async]
queue_capacity = 100000
TOML
bench_start_gannet

# rspamd: the packaged configuration with a private local configuration, database and run
# directory; only the proxy worker, scanning itself.
RSPAMD_DIR=$WORK/rspamd
mkdir -p "$RSPAMD_DIR/conf/local.d" "$RSPAMD_DIR/conf/override.d" "$RSPAMD_DIR/db" "$RSPAMD_DIR/run" "$RSPAMD_DIR/log"
cat > "$RSPAMD_DIR/conf/override.d/worker-proxy.inc" <<UCL
bind_socket = "$RSPAMD_DIR/milter.sock mode=0666";
milter = yes;
timeout = 120s;
upstream "local" {
  default = yes;
  self_scan = yes;
}
count = 2;
UCL
echo 'enabled = false;' > "$RSPAMD_DIR/conf/override.d/worker-normal.inc"
echo 'enabled = false;' > "$RSPAMD_DIR/conf/override.d/worker-controller.inc"
for module in rbl spf dkim dmarc arc fuzzy_check asn url_reputation dkim_signing arc_signing; do
    echo 'enabled = false;' > "$RSPAMD_DIR/conf/local.d/$module.conf"
done
# Stamp every message, local ones too, so the run shows rspamd scanned each of them.
cat > "$RSPAMD_DIR/conf/local.d/milter_headers.conf" <<'UCL'
use = ["x-spamd-result"];
skip_local = false;
skip_authenticated = false;
UCL
cat > "$RSPAMD_DIR/conf/local.d/options.inc" <<'UCL'
dns {
  nameserver = ["127.0.0.1:1"];
  timeout = 0.1s;
  retransmits = 1;
}
UCL
rspamd -f -i -u root -g root -c /etc/rspamd/rspamd.conf --var "LOCAL_CONFDIR=$RSPAMD_DIR/conf" --var "DBDIR=$RSPAMD_DIR/db" \
    --var "RUNDIR=$RSPAMD_DIR/run" --var "LOGDIR=$RSPAMD_DIR/log" >"$RSPAMD_DIR/stdout.log" 2>&1 &
RSPAMD=$!

for _ in $(seq 600); do [[ -S $RSPAMD_DIR/milter.sock ]] && break; sleep 0.1; done
[[ -S $RSPAMD_DIR/milter.sock ]] || { tail -20 "$RSPAMD_DIR/log/rspamd.log" >&2; exit 1; }

declare -A PORT
for side in bare gannet rspamd; do PORT[$side]=$(free_port); done
"$ROOT/packaging/postfix-private.sh" start "$WORK/bare" --port "${PORT[bare]}" >&2
"$ROOT/packaging/postfix-private.sh" start "$WORK/gannet" --port "${PORT[gannet]}" --milter "unix:$WORK/milter.sock" >&2
"$ROOT/packaging/postfix-private.sh" start "$WORK/rspamd" --port "${PORT[rspamd]}" --milter "unix:$RSPAMD_DIR/milter.sock" >&2

held() { postqueue -c "$1/etc" -j | python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)["queue_name"] == "hold"))'; }
# Delivered or quarantined: smtp-source's all-capital filler looks like spam to a model.
settled() { echo $(($(delivered "$1") + $(held "$1"))); }

# One smtp-source run; prints messages per second accepted at end of DATA.
run_once() {
    local dir=$1 port=$2 before start end
    before=$(settled "$dir")
    start=$(date +%s.%N)
    smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f load@example.org -t user@gannet.test "127.0.0.1:$port"
    end=$(date +%s.%N)
    # Let delivery finish so the next run starts from a quiet machine.
    for _ in $(seq 600); do (($(settled "$dir") >= before + MESSAGES)) && break; sleep 0.1; done
    (($(settled "$dir") >= before + MESSAGES)) || { echo "$PROG: $dir lost messages" >&2; exit 1; }
    python3 -c "print(f'{$MESSAGES / ($end - $start):.1f}')"
}

# Gannet's full scoring of deferred messages goes on after delivery: the next run starts
# only once it has finished, so no run pays for the one before.
async_depth() { python3 -c "import sys, urllib.request; print(next(int(float(l.split()[-1])) for l in urllib.request.urlopen('http://127.0.0.1:$(metrics_port)/metrics', timeout=5).read().decode().splitlines() if l.startswith('gannet_async_queue_depth ')))"; }
run_gannet() {
    run_once "$WORK/gannet" "${PORT[gannet]}"
    for _ in $(seq 3000); do (($(async_depth) == 0)) && return; sleep 0.1; done
    echo "$PROG: gannet's deferred queue did not drain" >&2; exit 1
}

# Postfix spawns its smtpd/cleanup processes on demand, and rspamd compiles its hyperscan
# database after start: one unmeasured run per side first.
run_once "$WORK/bare" "${PORT[bare]}" >/dev/null
run_gannet >/dev/null
run_once "$WORK/rspamd" "${PORT[rspamd]}" >/dev/null

echo "messages=$MESSAGES sessions=$SESSIONS size=$SIZE runs=$RUNS (after one warm-up run each)"
bare=() gannet=() rspamd=()
for i in $(seq "$RUNS"); do
    bare+=("$(run_once "$WORK/bare" "${PORT[bare]}")")
    gannet+=("$(run_gannet)")
    rspamd+=("$(run_once "$WORK/rspamd" "${PORT[rspamd]}")")
    echo "run $i: no milter ${bare[-1]} msg/s, gannet ${gannet[-1]} msg/s, rspamd ${rspamd[-1]} msg/s"
done
b=$(median "${bare[@]}")
g=$(median "${gannet[@]}")
r=$(median "${rspamd[@]}")
echo "median: no milter $b msg/s, gannet $g msg/s (ratio $(python3 -c "print(f'{$g / $b:.2f}')")), rspamd $r msg/s (ratio $(python3 -c "print(f'{$r / $b:.2f}')"))"
total=$(((RUNS + 1) * MESSAGES))
echo "delivered with a verdict header: gannet $(grep -l '^X-Gannet-Verdict: ' "$WORK"/gannet/mail/inbox/new/* 2>/dev/null | wc -l) of $total (held: $(held "$WORK/gannet")), rspamd $(grep -l '^X-Spamd-Result: ' "$WORK"/rspamd/mail/inbox/new/* 2>/dev/null | wc -l) of $total"

# How Gannet decided: a deferred message is also scored in full in the background.
python3 - "$(metrics_port)" <<'PY'
import sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
counts = {line.split('"')[1]: int(float(line.split()[-1])) for line in text.splitlines() if line.startswith("gannet_inline_decisions_total{")}
print("gannet inline decisions: " + ", ".join(f"{name} {count}" for name, count in sorted(counts.items())))
PY

# Real messages. Held (quarantined) and rejected ones count as answered: the time is what
# the sender waits for the verdict.
[[ -f $CORPUS ]] || { echo "no corpus at $CORPUS: real-message runs skipped"; exit 0; }
unsettled() { postqueue -c "$1/etc" -j | python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)["queue_name"] != "hold"))'; }
replay() {
    local dir=$1 port=$2 result
    result=$(python3 "$ROOT/packaging/smtp-replay.py" --port "$port" --sessions "$SESSIONS" --limit "$CORPUS_MESSAGES" "$CORPUS" test)
    for _ in $(seq 600); do (($(unsettled "$dir") == 0)) && break; sleep 0.1; done
    if [[ $dir == "$WORK/gannet" ]]; then
        for _ in $(seq 3000); do (($(async_depth) == 0)) && break; sleep 0.1; done
    fi
    echo "$result"
}
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
echo "real messages: first $CORPUS_MESSAGES of the test split of $CORPUS, sessions=$SESSIONS, runs=$RUNS (after one warm-up run each)"
declare -A rates p50s p99s
for side in bare gannet rspamd; do replay "$WORK/$side" "${PORT[$side]}" >/dev/null; done
for i in $(seq "$RUNS"); do
    line="run $i:"
    for side in bare gannet rspamd; do
        result=$(replay "$WORK/$side" "${PORT[$side]}")
        rates[$side]+=" $(field "$result" rate)"
        p50s[$side]+=" $(field "$result" p50_ms)"
        p99s[$side]+=" $(field "$result" p99_ms)"
        line+=" $side $(field "$result" rate) msg/s (p50 $(field "$result" p50_ms) ms, p99 $(field "$result" p99_ms) ms; accepted $(field "$result" accepted), rejected $(field "$result" rejected), tempfailed $(field "$result" tempfailed))"
    done
    echo "$line"
done
for side in bare gannet rspamd; do
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    echo "median $side: $(median ${rates[$side]}) msg/s, p50 $(median ${p50s[$side]}) ms, p99 $(median ${p99s[$side]}) ms"
done
