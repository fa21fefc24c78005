#!/usr/bin/env bash
# Fuzz the streaming parser and feature extractor with libFuzzer for SECONDS (default 600).
# Seeds: the shared corpus beside the checkout when present (read only; libFuzzer writes
# what it discovers to .build-fuzz/corpus). A finding leaves a crash-* file and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
scratch=../../.build-fuzz
swift build -c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address
mkdir -p "$scratch/corpus" "$scratch/findings"
seeds=()
[[ -d ../../../shared/corpus ]] && seeds+=(../../../shared/corpus)
"$scratch/release/ParserFuzzer" "$scratch/corpus" "${seeds[@]}" \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=10 \
    -artifact_prefix="$scratch/findings/" -print_final_stats=1
