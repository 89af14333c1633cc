#!/usr/bin/env bash
# Runs every test suite. Networked suites (integration, interop) go inside a fresh network namespace with
# only loopback, so no test can reach any other address; where unshare is not allowed they run as they are
# (they bind and connect to 127.0.0.1 only either way).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

vitest run --project unit "$@"

if unshare -n true 2>/dev/null; then
  unshare -n bash -c 'ip link set lo up && exec vitest run --project integration --project interop "$@"' -- "$@"
else
  echo "test: unshare -n is not permitted here; running networked suites on the host loopback"
  vitest run --project integration --project interop "$@"
fi
