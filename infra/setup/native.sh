#!/usr/bin/env bash
# Builds the libtorch C shim (infra/GenCluster.Torch/native) with CMake, incrementally.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
src="$root/infra/GenCluster.Torch/native"
build="$src/build-native"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --parallel 2 >/dev/null
