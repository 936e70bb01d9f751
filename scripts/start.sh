#!/usr/bin/env bash
# `make start`: the local cluster simulator (the clusters of app-config.yaml,
# with simulated Flux reading the local config repository), then the portal.
# Stopping the portal (Ctrl-C) stops the simulator too.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .data
node --require @backstage/cli/config/nodeTransform.cjs \
  test/servers/src/kubernetes/main.ts \
  --port 7480 \
  --cluster staging-eu=simulated-cluster-token \
  --cluster production-eu=simulated-cluster-token \
  --cluster production-us=simulated-cluster-token \
  --git-repository "flux-system/fleet-config=$PWD/.data/config-repo.git#main" \
  --timing demo &
simulator=$!
trap 'kill "$simulator" 2>/dev/null || true' EXIT INT TERM
yarn start
