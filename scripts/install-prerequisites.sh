#!/usr/bin/env bash
# Installs what QuestAspire needs on a Debian machine, and only what is missing.
#   install-prerequisites.sh          for running: the server packages, unless a container runtime answers
#   install-prerequisites.sh --tests  for the tests: they always run the local-processes mode
#   install-prerequisites.sh --local  for the benchmark: the server packages, whatever runtime answers
set -euo pipefail

for_tests=false
local_servers=false
[ "${1:-}" = "--tests" ] && for_tests=true
[ "${1:-}" = "--local" ] && local_servers=true

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK is missing: install the version pinned in global.json (https://dot.net)." >&2
  exit 1
fi

container_runtime_answers() {
  local runtime="${ASPIRE_CONTAINER_RUNTIME:-docker}"
  command -v "$runtime" >/dev/null 2>&1 && timeout 10 "$runtime" info >/dev/null 2>&1
}

# curl and jq: the README's walkthrough uses them.
packages=(curl jq)
if $for_tests || $local_servers || ! container_runtime_answers; then
  # postgresql brings initdb/postgres, rabbitmq-server brings Erlang and epmd.
  packages+=(postgresql rabbitmq-server redis-server)
fi

if $for_tests; then
  # chromium: the browser tests drive Debian's Chromium through Playwright.
  packages+=(chromium)
  # node and npm: the Kubernetes tests validate manifests with the npm package kubernetes-models.
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]} ..."
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if $for_tests && ! command -v kubectl >/dev/null 2>&1; then
  echo "kubectl is missing (the Kubernetes tests run 'kubectl kustomize'); install it from https://kubernetes.io/docs/tasks/tools/." >&2
  exit 1
fi
