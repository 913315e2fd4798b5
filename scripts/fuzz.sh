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
  # The last progress line reads "fuzz: elapsed: 1m0s, execs: 123456 (0/sec), ..."; its
  # rate is the last interval's, so the average is computed from the totals.
  grep -E '^fuzz: elapsed: .*execs: ' "$log" | tail -n 1 |
    sed -E 's/^fuzz: elapsed: (([0-9]+)m)?([0-9]+)s, execs: ([0-9]+).*/\2 \3 \4/' |
    awk -v name="$name" '{ s = $1 * 60 + $2; if (NF == 2) { s = $1; $3 = $2 }
      printf "%s: %d execs in %ds, %.0f execs/s\n", name, $3, s, $3 / s }'
  rm -f "$log"
done
