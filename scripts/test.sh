#!/usr/bin/env bash
# Runs every test of the project: frontend (typecheck, lint, jest), the plugin
# archive build and its validator checks, and the Go unit, integration and
# end-to-end tests (real Prometheus, real plugin binary over gRPC).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node22.sh

echo "== frontend: install, typecheck, lint, unit tests"
npm ci --no-audit --no-fund
npm run typecheck
npm run lint
npm run test:ci

echo "== plugin archive: frontend build, backend binaries for every platform, zip"
npm run package
zip=$(ls -1 kumahq-kuma-datasource-*.zip | head -n 1)

echo "== backend: vet, unit, integration and end-to-end tests, with the race detector"
go vet ./...
KUMA_PLUGIN_ZIP="$PWD/$zip" go test -race -tags integration -count=1 ./...
