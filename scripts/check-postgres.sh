#!/usr/bin/env bash
# The store and migration tests run on SQLite and PostgreSQL 15. Make sure the
# server is there; never let the suite fall back to SQLite alone in silence.
set -euo pipefail
url="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}"
if [ -z "$url" ]; then
  echo "postgres: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set" >&2
  exit 1
fi
hostport="${url#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"
[ "$port" = "$host" ] && port=5432

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if ! ready && [ -z "${CI:-}" ] && [ -d /etc/postgresql ]; then
  echo "postgres: not answering on $host:$port, starting the local cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 20); do ready && break; sleep 0.5; done
fi
if ! ready; then
  echo "postgres: FAILED: no PostgreSQL server answers on $host:$port." >&2
  echo "postgres: the store tests must run on PostgreSQL too; start it with" >&2
  echo "postgres:   pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  exit 1
fi
echo "postgres: $host:$port is ready; store tests run on SQLite and PostgreSQL 15"
