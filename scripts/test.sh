#!/usr/bin/env bash
# Runs every test suite. Networked suites (integration, interop, e2e in Chromium) go inside a fresh network namespace
# with only loopback, so no test can reach any other address; where unshare is not permitted they run as
# they are (they bind and connect to 127.0.0.1 only either way). Ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
# Suites skipped for a missing tool say so here (test/support/external-tools.ts).
export SEEDLING_SKIP_LOG="$results/skips.jsonl"

status=0
vitest run --project unit --project renderer --project electron --reporter=default --reporter=json \
  --outputFile.json="$results/unit.json" "$@" || status=1

networked=(--project integration --project interop --project e2e --project desktop --reporter=default --reporter=json
  --outputFile.json="$results/networked.json")
if unshare -n true 2>/dev/null; then
  unshare -n bash -c 'ip link set lo up && exec vitest run "$@"' -- "${networked[@]}" "$@" || status=1
else
  echo "test: unshare -n is not permitted here; running networked suites on the host loopback"
  vitest run "${networked[@]}" "$@" || status=1
fi

node scripts/test-summary.mjs "$results"/*.json || status=1
exit "$status"
