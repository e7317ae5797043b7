#!/usr/bin/env bash
# Runs QuestAspire: installs missing server packages (when no container runtime answers),
# restores and builds, then starts the AppHost, which prints the dashboard URL.
# Extra arguments go to the AppHost, e.g.: scripts/run.sh --Infrastructure:Mode LocalProcesses
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-prerequisites.sh
dotnet build QuestAspire.AppHost -v quiet -nologo
exec dotnet run --project QuestAspire.AppHost --launch-profile http --no-build -- "$@"
