#!/usr/bin/env bash
# The one test command (README, .ci/run): builds, then runs every jest suite against real backends
# (MONGO_URL/NATS_URL, else testcontainers, else local FerretDB + nats-server) and writes
# .tmp/jest-results.json. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
export DO_NOT_TRACK=1 TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-false}"
npm run --silent build
mkdir -p .tmp
exec npx jest --maxWorkers="${JEST_WORKERS:-2}" --json --outputFile=.tmp/jest-results.json "$@"
