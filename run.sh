#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts two local silos (loopback, a temporary membership file)
# and trains the DCGAN of contracts/examples/fashion-mnist-dcgan-cluster.yaml through them with `gencluster submit`,
# writing out/samples.png and out/generator.safetensors; the silos are stopped by PID at the end.
#   ./run.sh [submit options, e.g. --log-every 50]      through the cluster ($GENCLUSTER_SPEC picks another spec)
#   ./run.sh --local [train-local options]              in this process, as before (see gencluster train-local --help)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
infra/setup/setup.sh
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
dotnet build client/GenCluster.Cli -c Release -v quiet -nologo >/dev/null
cli=client/GenCluster.Cli/bin/Release/net10.0/gencluster.dll
if [[ "${1:-}" == "--local" ]]; then
    shift
    exec dotnet "$cli" train-local "$@"
fi

dotnet build silo/GenCluster.Silo -c Release -v quiet -nologo >/dev/null
silo=silo/GenCluster.Silo/bin/Release/net10.0/gencluster-silo.dll
spec="${GENCLUSTER_SPEC:-contracts/examples/fashion-mnist-dcgan-cluster.yaml}"
work="$(mktemp -d)"
secret="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
gateways=()
for i in 0 1; do
    port="$(free_port)"
    gateways+=("127.0.0.1:$port")
    # Each silo in its own session, so Ctrl-C reaches only the CLI (which then cancels the experiment).
    OMP_NUM_THREADS=1 setsid dotnet "$silo" --name "silo-$i" --port "$port" --secret "$secret" --cluster-id run \
        --membership-file "$work/membership.json" --storage-dir "$work/state" --devices cpu:0,cpu:1 \
        --Logging:LogLevel:Default=Warning >"$work/silo-$i.log" 2>&1 &
    pids+=("$!")
done

for i in 0 1; do
    for _ in $(seq 1 240); do
        grep -q '"ready":true' "$work/silo-$i.log" && break
        kill -0 "${pids[$i]}" 2>/dev/null || { echo "silo-$i exited:" >&2; cat "$work/silo-$i.log" >&2; exit 3; }
        sleep 0.5
    done
    grep -q '"ready":true' "$work/silo-$i.log" || { echo "silo-$i was not ready within 120 s:" >&2; cat "$work/silo-$i.log" >&2; exit 3; }
done
# Each silo must see both active before auto placement asks for their devices: the devices grain answers from the
# membership snapshot of whichever silo it lives on, and a silo's snapshot lags the table by up to a refresh.
for i in 0 1; do
    health="$(sed -n 's/.*"health":"\([^"]*\)".*/\1/p' "$work/silo-$i.log")"
    for _ in $(seq 1 120); do
        active="$(/usr/bin/python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1], timeout=5))["activeSilos"])' "$health" 2>/dev/null || echo 0)"
        [[ "$active" -ge 2 ]] && break
        sleep 0.5
    done
done

# Defaults for what the caller did not pass (an option may be given once).
defaults=()
[[ " $* " == *" --output "* || " $* " == *" -o "* ]] || defaults+=(--output out)
[[ " $* " == *" --log-every "* ]] || defaults+=(--log-every 100)
[[ " $* " == *" --id "* ]] || defaults+=(--id "run-$(date +%Y%m%d-%H%M%S)")
status=0
dotnet "$cli" submit "$spec" --gateway "$(IFS=,; echo "${gateways[*]}")" --secret "$secret" --cluster-id run \
    "${defaults[@]}" "$@" || status=$?
exit "$status"
