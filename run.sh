#!/usr/bin/env bash
# The main job on embedded defaults: installs what is missing, builds, and trains a DCGAN on
# Fashion-MNIST (2,000 steps), writing out/samples.png, out/losses.png and out/losses.svg.
# Extra arguments go to `gencluster train-local` (see --help), e.g. ./run.sh --steps 200.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
infra/setup/setup.sh
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
dotnet build client/GenCluster.Cli -c Release -v quiet -nologo >/dev/null
exec dotnet client/GenCluster.Cli/bin/Release/net10.0/gencluster.dll train-local "$@"
