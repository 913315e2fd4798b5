#!/usr/bin/env bash
# Fuzzes each target for a bounded time (FUZZTIME, default 30s) and prints
# its executions per second. Plain `go test` already replays the committed
# seed corpora (testdata/fuzz/); new failing inputs land there too.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-30s}"

targets=(
  "./pkg/meshgraph FuzzClusterNameMapping"
  "./pkg/meshgraph FuzzPrometheusDecodingAndJoin"
  "./pkg/kuma FuzzControlPlaneDecoding"
)
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  log=$(mktemp)
  echo "== $name ($pkg, $fuzztime)"
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -parallel 2 "$pkg" >"$log" 2>&1; then
    cat "$log"
    rm -f "$log"
    exit 1
  fi
  # The last progress line reads "fuzz: elapsed: 30s, execs: 123456 (4115/sec), ...".
  grep -E '^fuzz: elapsed' "$log" | tail -n 1
  rm -f "$log"
done
