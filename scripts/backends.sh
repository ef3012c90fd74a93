#!/usr/bin/env bash
# Builds the local test/dev backends once (FerretDB v1 on SQLite, nats-server 2.12) with `go install`
# into $ORDERHUB_CACHE/bin, and prints that folder. Rebuilds only what is missing.
set -euo pipefail
bin="${ORDERHUB_CACHE:-$HOME/.cache/orderhub}/bin"
mkdir -p "$bin"
export GOBIN="$bin" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:-} -mod=mod" DO_NOT_TRACK=1
if ! command -v go >/dev/null 2>&1; then
  echo "backends.sh: go is not installed; set MONGO_URL and NATS_URL or install Go" >&2
  exit 1
fi
[ -x "$bin/ferretdb" ] || go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2 >&2
[ -x "$bin/nats-server" ] || go install github.com/nats-io/nats-server/v2@v2.12.1 >&2
echo "$bin"
