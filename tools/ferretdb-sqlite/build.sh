#!/usr/bin/env bash
# Builds the launcher against FerretDB v1.24.2 with one line changed; usage: build.sh <output binary>.
#
# Why the change: v1.24.2's SQLite backend creates the `_id` index on `_ferretdb_sjson->"_id"` but
# looks documents up with `_ferretdb_sjson->'$._id'`. SQLite matches index expressions by their
# text, so no lookup used the index: every find, update and delete by `_id` scanned the whole table
# (6 000 orders: 19 updates/s instead of several hundred). `->'_id'` is the same JSON path in the
# form the index was built with, so the stored data and its indexes stay exactly as they were.
set -euo pipefail
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
src="$(cd "$here" && go mod download -json github.com/FerretDB/FerretDB@v1.24.2 | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src" ] || { echo "build.sh: FerretDB v1.24.2 sources not found" >&2; exit 1; }
cp -r "$src" "$work/ferretdb"
chmod -R u+w "$work/ferretdb"
metadata="$work/ferretdb/internal/backends/sqlite/metadata/metadata.go"
sed -i "s|IDColumn = DefaultColumn + \"->'\\\$._id'\"|IDColumn = DefaultColumn + \"->'_id'\"|" "$metadata"
grep -q "IDColumn = DefaultColumn + \"->'_id'\"" "$metadata" || { echo "build.sh: the _id lookup patch did not apply" >&2; exit 1; }
cp "$here"/{main.go,go.mod,go.sum} "$work/"
(cd "$work" && go mod edit -replace github.com/FerretDB/FerretDB=./ferretdb && go build -o "$out" .)
