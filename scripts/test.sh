#!/usr/bin/env bash
# Runs every test of the project: frontend (typecheck, compatibility with the
# oldest Grafana claimed, lint, jest), the plugin
# archive build, Go vet and golangci-lint, and the three Go tiers (README "Test tiers"): unit tests,
# integration tests (real Prometheus and VictoriaMetrics, the plugin binary
# over gRPC) and repository checks (compose stack, Dockerfiles, demo module,
# README, the built archive).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node22.sh

echo "== frontend: install, typecheck, Grafana compatibility, lint, unit tests"
npm ci --no-audit --no-fund
npm run typecheck
# The frontend against the oldest Grafana src/plugin.json claims (scripts/compat.sh).
npm run compat
npm run lint
npm run test:ci

echo "== plugin archive: frontend build, backend binaries for every platform, zip"
npm run package
zip=$(ls -1 kumahq-kuma-datasource-*.zip | head -n 1)

echo "== backend: vet and lint, then every tier (unit, integration, repository checks) with the race detector"
go vet -tags integration,repocheck ./...
./scripts/lint.sh
# Packages that load the same data into Prometheus convert it to TSDB blocks
# once per run (pkg/internal/promtest/blocks.go).
KUMA_PROMTEST_CACHE=$(mktemp -d)
export KUMA_PROMTEST_CACHE
trap 'rm -rf "$KUMA_PROMTEST_CACHE"' EXIT
# The integration packages run in parallel on two cores; the default 10-minute
# limit per test binary is too tight for pkg/meshgraph under -race there.
KUMA_PLUGIN_ZIP="$PWD/$zip" go test -race -tags integration,repocheck -count=1 -timeout 30m ./...
