#!/usr/bin/env bash
# Installs the npm tools the tests and benchmarks run (Azurite, the Azure Storage emulator) into .tools/,
# pinned by infra/setup/azurite/package-lock.json. Idempotent: nothing happens while the lock file of the last
# successful install matches the committed one. Azurite 3.35.0 is the newest release that runs on Node 20.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
src="$root/infra/setup/azurite"
dest="$root/.tools/azurite"

stamp="$dest/.installed-lock.json"   # written only after a successful install
if cmp -s "$src/package-lock.json" "$stamp" && [[ -x "$dest/node_modules/.bin/azurite" ]]; then
    exit 0
fi
command -v npm >/dev/null || { echo "setup: npm is missing (apt-packages.sh installs nodejs and npm)" >&2; exit 1; }
echo "setup: installing Azurite into .tools/azurite" >&2
mkdir -p "$dest"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
# --ignore-scripts: Azurite needs no install scripts; no audit or funding calls, quiet output.
npm ci --prefix "$dest" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
"$dest/node_modules/.bin/azurite" --version >/dev/null
cp "$src/package-lock.json" "$stamp"
