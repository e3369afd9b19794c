#!/bin/sh
# Rebuild govuk-frontend-council.min.css from the npm package, in a temporary folder (run from the repository root):
#   sh static/vendor/govuk-frontend-6.6.0/build/build.sh
set -eu
VERSION=6.6.0
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "govuk-frontend@$VERSION" "sass@1"
npx sass --style=compressed --no-source-map --load-path=node_modules "$HERE/govuk-frontend-council.scss" \
  "$HERE/../govuk-frontend-council.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map "$HERE/.."
