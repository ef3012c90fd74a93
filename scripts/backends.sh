#!/usr/bin/env bash
# Builds the local test/dev backends once into $ORDERHUB_CACHE/bin and prints that folder:
#  - ferretdb-sqlite: FerretDB v1.24.2 (MongoDB wire protocol on SQLite) through tools/ferretdb-sqlite,
#    which embeds FerretDB's public package (`go install .../cmd/ferretdb@v1.24.2` builds a binary that
#    panics at start for lack of a generated version file), with its `_id` lookups fixed to use the
#    `_id` index (tools/ferretdb-sqlite/build.sh says why);
#  - nats-server v2.12 with `go install`.
# Rebuilds only what is missing. Telemetry: the embedded FerretDB never starts its reporter.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${ORDERHUB_CACHE:-$HOME/.cache/orderhub}/bin"
mkdir -p "$bin"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" DO_NOT_TRACK=1 GOFLAGS="-mod=mod"
if ! command -v go >/dev/null 2>&1; then
  echo "backends.sh: Go is not installed; set MONGO_URL and NATS_URL, or install Go" >&2
  exit 1
fi
# Rebuilt when the launcher's sources change, not only when missing (the cache outlives checkouts).
launcher_sum=$(cat "$root"/tools/ferretdb-sqlite/{main.go,go.mod,go.sum,build.sh} | sha256sum | cut -c1-16)
if [ ! -x "$bin/ferretdb-sqlite" ] || [ "$(cat "$bin/ferretdb-sqlite.sum" 2>/dev/null)" != "$launcher_sum" ]; then
  echo "backends.sh: building ferretdb-sqlite (FerretDB v1.24.2)" >&2
  "$root/tools/ferretdb-sqlite/build.sh" "$bin/ferretdb-sqlite" >&2
  echo "$launcher_sum" > "$bin/ferretdb-sqlite.sum"
fi
if [ ! -x "$bin/nats-server" ]; then
  echo "backends.sh: building nats-server v2.12.1" >&2
  GOBIN="$bin" go install github.com/nats-io/nats-server/v2@v2.12.1 >&2
fi
echo "$bin"
