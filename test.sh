#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds everything (warnings are errors),
# runs every test project and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
infra/setup/setup.sh || exit 1
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
dotnet build GenCluster.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# The console logger at minimal prints each failed test with its message and stack trace (quiet prints only names).
dotnet test GenCluster.sln -c Release --no-build -nologo -v quiet --logger "console;verbosity=minimal" -- RunConfiguration.TestSessionTimeout=3000000 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, ..."
read -r passed failed skipped < <(awk '
    /Failed: *[0-9]+, Passed: *[0-9]+, Skipped: *[0-9]+/ {
        for (i = 1; i <= NF; i++) {
            v = $(i + 1); gsub(/,/, "", v)
            if ($i == "Failed:") f += v
            if ($i == "Passed:") p += v
            if ($i == "Skipped:") s += v
        }
    }
    END { print p + 0, f + 0, s + 0 }' "$log")
if [[ $status -ne 0 && $failed -eq 0 ]]; then
    failed=1 # a crashed or aborted test host counts as a failure
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
