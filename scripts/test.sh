#!/usr/bin/env bash
# Runs every test of the project: frontend (typecheck, lint, jest), the plugin
# archive build, and the three Go tiers (README "Test tiers"): unit tests,
# integration tests (real Prometheus and VictoriaMetrics, the plugin binary
# over gRPC) and repository checks (compose stack, Dockerfiles, demo module,
# README, the built archive).
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

echo "== backend: vet, then every tier (unit, integration, repository checks) with the race detector"
go vet -tags integration,repocheck ./...
# Packages that load the same data into Prometheus convert it to TSDB blocks
# once per run (pkg/internal/promtest/blocks.go).
KUMA_PROMTEST_CACHE=$(mktemp -d)
export KUMA_PROMTEST_CACHE
trap 'rm -rf "$KUMA_PROMTEST_CACHE"' EXIT
KUMA_PLUGIN_ZIP="$PWD/$zip" go test -race -tags integration,repocheck -count=1 ./...
