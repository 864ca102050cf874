#!/usr/bin/env bash
# Measures PDQ hashing per stage on the shared corpus's JPEG and PNG images
# (one core and all cores) and records the figures in docs/benchmarks.md.
# Run on a quiet machine: ./bench/pdq.sh [benchtime]
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
benchtime=${1:-3s}
cmd="go test ./pdq -run '^\$' -bench Stages -benchtime $benchtime -cpu 1,$(nproc)"
raw=$(mktemp)
eval "$cmd" | tee "$raw"
out=$(mktemp)
{
  echo "## PDQ hashing"
  echo
  echo "Machine: $(bench/machine.sh). Date: $(date -u +%F)."
  echo "Command: \`$cmd\` (bench/pdq.sh). One op is one image of the shared corpus (JPEG and PNG;"
  echo "small: both sides ≤ 512 px, large: pre-resized to 512×512). Decoding is Haven's hashing path (media.DecodeForHash: the libjpeg-turbo-exact JPEG decoder with the pre-resize folded in, image/png for PNG)."
  echo
  echo "| stage | images | cores | ms/image | images/s |"
  echo "|---|---|---|---|---|"
  awk '/^BenchmarkStages/ {
    split($1, p, "/"); cores = p[3]; sub(/.*-/, "", cores); if (cores == p[3]) cores = 1
    set = p[3]; sub(/-[0-9]+$/, "", set)
    for (i = 1; i <= NF; i++) { if ($(i) == "images/s") ips = $(i-1); if ($(i) == "ms/image") ms = $(i-1) }
    printf "| %s | %s | %s | %.3f | %.0f |\n", p[2], set, cores, ms, ips
  }' "$raw"
} > "$out"
bench/section.sh pdq "$out"
rm -f "$raw" "$out"
