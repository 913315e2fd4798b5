#!/usr/bin/env bash
# Checks that the frontend only uses @grafana/* APIs that the oldest Grafana
# claimed in src/plugin.json ("grafanaDependency": ">=X.Y.Z") still exports,
# with Grafana's own tool: levitate is-compatible, the check of create-plugin's
# CI (grafana/plugin-actions is-compatible). It reads src/module.ts and every
# module it imports, and compares the exports of the installed @grafana/*
# packages with those of version X.Y.Z, fetched from the npm registry.
# Only @grafana/data, ui and runtime are checked: they are the packages Grafana
# provides at run time (.config/bundler/externals.ts); the others are bundled.
set -euo pipefail
cd "$(dirname "$0")/.."

dep=$(node -p 'require("./src/plugin.json").dependencies.grafanaDependency')
if [[ ! $dep =~ ^\>=([0-9]+\.[0-9]+\.[0-9]+)$ ]]; then
  echo "compat: src/plugin.json grafanaDependency is \"$dep\"; this check understands only \">=X.Y.Z\"" >&2
  exit 1
fi
v=${BASH_REMATCH[1]}
targets="@grafana/data@$v,@grafana/ui@$v,@grafana/runtime@$v"

# levitate unpacks each package under $TMPDIR/@grafana/<name>@<version> and
# removes that folder first: a private TMPDIR keeps parallel runs apart.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/levitate.out
export TMPDIR=$work
# levitate exits non-zero on an incompatibility; the plugin-actions workflow
# also looks for this sentence, so both count.
status=0
npx --no-install levitate is-compatible --path src/module.ts --target "$targets" >"$out" 2>&1 || status=$?
if [ "$status" -ne 0 ] || grep -q "not fully compatible" "$out"; then
  cat "$out" >&2
  echo "compat: the frontend is not compatible with Grafana $v, the minimum claimed in src/plugin.json" >&2
  exit 1
fi
echo "compat: src/module.ts is compatible with Grafana $v ($targets)"
