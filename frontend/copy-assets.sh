#!/usr/bin/env sh
# Copy the vendored front-end files from node_modules into Värna's static files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest="$here/../src/varna/static/vendor"
mkdir -p "$dest/designsystemet"
cp "$here/node_modules/@digdir/designsystemet-css/dist/src/index.css" "$dest/designsystemet/index.css"
cp "$here/node_modules/@digdir/designsystemet-css/dist/theme/designsystemet.css" "$dest/designsystemet/theme.css"
