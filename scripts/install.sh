#!/usr/bin/env bash
# `yarn install` when the manifests or lockfile changed since the last
# successful install; otherwise nothing (a stamp in .tools/ records the hash).
set -euo pipefail
cd "$(dirname "$0")/.."

STAMP=.tools/install.stamp
state() {
  (node --version; yarn --version; cat yarn.lock .yarnrc.yml package.json \
    packages/*/package.json plugins/*/package.json test/servers/package.json) |
    sha256sum | cut -d' ' -f1
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(state)" ] && [ -d node_modules ]; then
  echo "install: dependencies up to date"
  exit 0
fi

echo "install: yarn install (Node $(node --version), Yarn $(yarn --version))"
# node-gyp builds better-sqlite3 against the headers of the Node that runs it
# (the machine-wide npm config points at another Node's headers).
if [ -n "${FLEET_NODE_HEADERS:-}" ]; then
  export npm_config_nodedir="$FLEET_NODE_HEADERS"
fi
start=$(date +%s)
# CI must install exactly what the lockfile says.
if [ -n "${CI:-}" ]; then
  yarn install --immutable
else
  yarn install
fi
# Hashed after the install: Yarn may rewrite the lockfile.
state > "$STAMP"
echo "install: done in $(( $(date +%s) - start ))s"
