#!/usr/bin/env bash
# No-Docker equivalent of `docker compose up`: builds, then runs everything with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build
exec node scripts/dev.js
