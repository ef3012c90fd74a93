#!/usr/bin/env bash
# Validates docker-compose.yml (with `docker compose config` where a compose CLI exists, else a
# structural check) and, when present, the Kubernetes overlays (scripts/validate-k8s.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config --quiet
  echo "docker-compose.yml: valid (docker compose config)"
else
  node scripts/check-compose.js docker-compose.yml
fi
if [ -x scripts/validate-k8s.sh ]; then bash scripts/validate-k8s.sh; fi
