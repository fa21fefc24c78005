#!/usr/bin/env bash
# Fuzz Gannet with libFuzzer (address sanitizer on), SECONDS per target (default 600):
#
#   Tests/Fuzz/run.sh [SECONDS] [TARGET...]
#
# parser  the streaming parser and extractor on stored messages, chunked and whole; seeded
#         with the shared corpus beside the checkout when present (read only)
# filter  the milter state machine: callbacks in any order and chunking, with the shipped model
# toml    the configuration parser and validation; seeded with etc/gannet/gannet.toml
# model   model files in both forms; seeded with small models in both forms
#
# What libFuzzer discovers is kept in .build-fuzz/corpus/TARGET; a finding leaves a crash-*
# file in .build-fuzz/findings/TARGET and makes the script exit non-zero.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
(($#)) && shift
targets=("$@")
((${#targets[@]})) || targets=(parser filter toml model)
scratch=../../.build-fuzz
swift build -c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address
fuzzer=$scratch/release/GannetFuzzer

seeds_for() {
    local target=$1 seeds=$scratch/seeds/$1
    mkdir -p "$seeds"
    case $target in
        parser) [[ -d ../../../shared/corpus ]] && echo ../../../shared/corpus ;;
        toml) cp ../../etc/gannet/gannet.toml ../../etc/gannet/rules.gannet "$seeds/"; echo "$seeds" ;;
        model)
            local schema
            schema=$(swift run -c release --package-path ../.. --scratch-path ../../.build gannet features --schema 2>/dev/null | sed -n 's/^schema \([0-9a-f]*\):.*/\1/p')
            printf '{"format":"gannet-model","format_version":1,"id":"seed","created":"2026-12-04T00:00:00Z","feature_schema":"%s","training_data":"t","thresholds":{"quarantine":0.9,"accept":0.3},"inline":{"kind":"stacked","text":{"bias":-1,"weights":{},"ngram_weights":{"7":2.0},"ngram_scaling":"log_count"},"trees":{"base_score":-0.5,"trees":[{"feature":["ngrams","",""],"threshold":[1.5,0,0],"left":[1,-1,-1],"right":[2,-1,-1],"value":[0,-1,2]}]}}}' "$schema" > "$seeds/seed.json"
            swift run -c release --package-path ../.. --scratch-path ../../.build gannet model export --compact --out "$seeds/seed.gmodel" "$seeds/seed.json" >/dev/null
            echo "$seeds" ;;
    esac
}

status=0
for target in "${targets[@]}"; do
    mkdir -p "$scratch/corpus/$target" "$scratch/findings/$target"
    mapfile -t seeds < <(seeds_for "$target")
    # The filter target keeps the shipped model for the whole run; LeakSanitizer cannot see
    # pointers inside Swift enum payloads (their spare bits hold the case), so it would report
    # that model as leaked once the run ends.
    leaks=1
    [[ $target == filter ]] && leaks=0
    echo "== $target: $seconds s"
    ASAN_OPTIONS=detect_leaks=$leaks GANNET_FUZZ_TARGET=$target "$fuzzer" "$scratch/corpus/$target" "${seeds[@]}" \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=10 -detect_leaks=$leaks \
        -artifact_prefix="$scratch/findings/$target/" -print_final_stats=1 || status=1
done
exit $status
