#!/usr/bin/env bash
# Builds the installable plugin archive: the frontend (webpack, production)
# and the backend binaries for every platform into dist/, then
# kumahq-kuma-datasource-<version>.zip at the repo top level, whose single
# root folder is the plugin id (what Grafana's plugin directory expects).
# Check it with:
#   KUMA_PLUGIN_ZIP=$PWD/kumahq-kuma-datasource-<version>.zip go test -tags repocheck ./pkg/internal/archivecheck
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node22.sh

id=kumahq-kuma-datasource
version=$(node -p "require('./package.json').version")
out="$PWD/$id-$version.zip"

echo "== frontend: webpack production build into dist/"
npm run build

echo "== backend: mage buildAll (linux amd64/arm64/arm, darwin amd64/arm64, windows amd64) into dist/"
MAGEFILE_CACHE="$PWD/.magefile" go run github.com/magefile/mage -v buildAll

# Zip a copy named after the id, so dist/ stays the folder the dev stack
# mounts. Standalone-mode leftovers are not part of a release.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -a dist "$stage/$id"
rm -f "$stage/$id/standalone.txt" "$stage/$id/pid.txt"
find "$stage/$id" -maxdepth 1 -type f -name 'gpx_kuma_*' ! -name '*.exe' -exec chmod 0755 {} +

rm -f "$out"
(cd "$stage" && zip -qr -X "$out" "$id")
echo "== wrote $out ($(du -h "$out" | cut -f1))"
