#!/usr/bin/env bash
# Measures the server's PDQ lookups (bench/serve) on SQLite and PostgreSQL
# and records the figures in docs/benchmarks.md. Run on a quiet machine:
#   ./bench/serve/run.sh [flags of bench/serve]
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
out=$(mktemp)
go run ./bench/serve "$@" > "$out"
cat "$out"
bench/section.sh serve "$out"
rm -f "$out"
