#!/usr/bin/env bash
# Lints the Go code (unit and integration tests included) with golangci-lint and
# the linters of .golangci.yml. The version is pinned in tools/go.mod, a module
# of its own so the linter's dependencies stay out of the plugin's go.mod; the
# first run downloads and builds it from the Go module proxy, later runs reuse
# the build cache. Arguments go to `golangci-lint run`, e.g. --fix or a package.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go tool -modfile=tools/go.mod golangci-lint run "$@"
