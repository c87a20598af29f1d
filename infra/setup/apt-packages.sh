#!/usr/bin/env bash
# Installs the Debian packages GenCluster needs, only when one is missing.
set -euo pipefail
packages=(
    libtorch-dev            # libtorch 1.13 (CPU): the tensor engine behind our shim
    libopenblas0-openmp     # without it convolution backward falls back to reference BLAS (~4.5x slower)
    cmake g++ make          # build the native shim
    dataset-fashion-mnist   # real training data in /usr/share/datasets/fashion-mnist
    python3-torch           # PyTorch: the reference peer for interop tests and benchmarks
    python3-numpy
    python3-msgpack         # an independent MessagePack peer for wire interop tests
)
# Azurite (npm-packages.sh) needs Node.js and npm: this machine kind ships Node 20; Debian's nodejs is the fallback.
command -v npm >/dev/null || packages+=(nodejs npm)
[[ "${GENCLUSTER_SKIP_APT:-0}" == 1 ]] && exit 0
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi
echo "setup: installing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
