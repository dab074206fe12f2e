#!/usr/bin/env bash
# Fails when web/schema.graphql or the generated typed client (web/src/gql) is not what the gateway's
# current schema and the client's current documents produce. `make web-client` regenerates both.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PYTHON" -m services.gateway.export_schema -o "$tmp/schema.graphql"
if ! cmp -s web/schema.graphql "$tmp/schema.graphql"; then
  diff -u web/schema.graphql "$tmp/schema.graphql" | head -40 || true
  echo "web/schema.graphql is not the gateway's schema: run 'make web-client' and commit the result" >&2
  exit 1
fi

# Regenerate the client from a copy of the sources, then compare with what is committed.
cp -r web/src web/codegen.ts web/package.json "$tmp/"
rm -rf "$tmp/src/gql"   # generated from scratch: a file codegen no longer writes must show as a difference
ln -s "$PWD/web/node_modules" "$tmp/node_modules"
(cd "$tmp" && node_modules/.bin/graphql-codegen --config codegen.ts --silent >/dev/null)
if ! diff -r web/src/gql "$tmp/src/gql" >"$tmp/gql.diff"; then
  head -40 "$tmp/gql.diff"
  echo "web/src/gql is stale: run 'make web-client' and commit the result" >&2
  exit 1
fi
echo "web client: schema and generated client are current"
