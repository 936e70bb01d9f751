#!/usr/bin/env bash
# Runs every benchmark (git-tracked files named *.bench.ts, under packages/,
# plugins/ and test/) and prints their figures. Benchmarks report ratios and
# absolute figures; they never assert timings (these machines are shared and
# noisy).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t benches < <(git ls-files '*.bench.ts' | sort)
if [ "${#benches[@]}" -eq 0 ]; then
  echo "bench: no benchmarks yet"
  exit 0
fi
for bench in "${benches[@]}"; do
  echo "bench: $bench"
  node --require @backstage/cli/config/nodeTransform.cjs "$bench"
done
