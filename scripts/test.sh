#!/usr/bin/env bash
# Everything `make test` runs, in order; stops at the first failure. Ends with
# one plain line adding up the unit and end-to-end results:
#   test: N passed, N failed
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
unit_log=test-results/unit.log
e2e_log=test-results/e2e.log
rm -f "$unit_log" "$e2e_log"

count() { # count FILE LINE-REGEX WORD -> N from "N WORD" on the last matching line
  grep -aE "$2" "$1" 2>/dev/null | tail -1 | grep -oE "[0-9]+ $3" | grep -oE '[0-9]+' || true
}

summary() {
  local status=$?
  local passed=0 failed=0 n
  n=$(count "$unit_log" '^Tests: ' passed); passed=$((passed + ${n:-0}))
  n=$(count "$unit_log" '^Tests: ' failed); failed=$((failed + ${n:-0}))
  n=$(count "$e2e_log" '^ +[0-9]+ passed' passed); passed=$((passed + ${n:-0}))
  n=$(count "$e2e_log" '^ +[0-9]+ failed' failed); failed=$((failed + ${n:-0}))
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "test: a step before or around the test runners failed (exit $status)"
  fi
  echo "test: $passed passed, $failed failed"
  exit "$status"
}
trap summary EXIT

echo "== type check"
yarn tsc
echo "== lint"
yarn lint
echo "== prettier"
yarn prettier:check
echo "== unit tests (SQLite and PostgreSQL 15)"
CI=true yarn test --verbose 2>&1 | tee "$unit_log"
echo "== end-to-end tests (Chromium)"
yarn test:e2e 2>&1 | tee "$e2e_log"
