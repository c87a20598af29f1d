#!/usr/bin/env bash
# Packs the .NET SDK's own System.IO.Hashing assembly into a local NuGet feed
# (.local-feed/), because the registry copy lacks the package that Azure.Storage.Blobs needs.
# Nothing is downloaded and the binary is never committed (.gitignore).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
feed="$root/.local-feed"
version="10.0.0"
nupkg="$feed/system.io.hashing.$version.nupkg"
[[ -f "$nupkg" ]] && exit 0

sdk_dir="$(dotnet --list-sdks | awk -v v="$(dotnet --version)" '$1==v {gsub(/[\[\]]/,"",$2); print $2 "/" $1}')"
dll="$sdk_dir/Sdks/Microsoft.NET.Sdk/tools/net10.0/System.IO.Hashing.dll"
[[ -f "$dll" ]] || { echo "setup: $dll not found; cannot build the local System.IO.Hashing package" >&2; exit 1; }

mkdir -p "$feed"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lib/net10.0"
cp "$dll" "$tmp/lib/net10.0/"
cat > "$tmp/System.IO.Hashing.nuspec" <<NUSPEC
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>System.IO.Hashing</id>
    <version>$version</version>
    <authors>Microsoft</authors>
    <description>System.IO.Hashing as shipped inside the .NET SDK, packed locally at setup.</description>
    <dependencies><group targetFramework="net10.0" /></dependencies>
  </metadata>
</package>
NUSPEC
/usr/bin/python3 - "$tmp" "$nupkg" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, _, files in os.walk(src):
        for f in files:
            full = os.path.join(dirpath, f)
            z.write(full, os.path.relpath(full, src))
os.replace(out + ".tmp", out)
PY
# A stale cached copy of an earlier pack would shadow this one.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/system.io.hashing/$version"
echo "setup: local feed ready ($nupkg)" >&2
