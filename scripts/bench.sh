#!/usr/bin/env bash
# The benchmark: builds tests/QuestAspire.Bench and with it the AppHost and the services in Release,
# then runs it. It starts the AppHost in local-processes mode with the dashboard on, in a fresh state
# folder under /tmp, measures this machine's raw limits and the scenarios, prints one line per
# scenario and stops everything it started.
#   scripts/bench.sh          the full run (about 6 minutes plus the build); writes docs/bench.md
#   scripts/bench.sh --smoke  a tiny run for CI (under 2 minutes); fails only on a count mismatch or a crash
#   scripts/bench.sh --profile  a 30k-event firehose with one worker replica's stacks sampled by dotnet-trace
#   scripts/bench.sh --scale [--scale-events N]  only the raw limits and the event log at scale (10M rows by default)
#   scripts/bench.sh --wallet [--profile]  only the raw limits and the wallet scenario (spends across players and on one
#                              hot player), as shipped and at 10% sampling; --profile samples Auth.Api's stacks meanwhile
# Exit status: 0 counts exact, 1 a count mismatch, 2 the bench crashed or timed out.
set -euo pipefail
cd "$(dirname "$0")/.."

args=(--markdown docs/bench.md)
[ "${1:-}" = "--smoke" ] && args=(--smoke)
[ "${1:-}" = "--profile" ] && args=(--profile) && dotnet tool restore >/dev/null
[ "${1:-}" = "--scale" ] && args=("$@")
[ "${1:-}" = "--wallet" ] && args=("$@") && { [ "${2:-}" = "--profile" ] && dotnet tool restore >/dev/null || true; }

bash scripts/install-prerequisites.sh --local
dotnet build tests/QuestAspire.Bench -c Release -nologo -v quiet
exec dotnet tests/QuestAspire.Bench/bin/Release/net10.0/QuestAspire.Bench.dll "${args[@]}"
