#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine with the .NET 10 SDK:
# Debian packages, npm tools (Azurite), the local NuGet feed, and the native libtorch shim.
# Usage: infra/setup/setup.sh            (everything)
#        GENCLUSTER_SKIP_APT=1 ...       (skip apt when the packages are known present)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

"$here/apt-packages.sh"
"$here/npm-packages.sh"
"$here/local-feed.sh"
"$here/native.sh"
