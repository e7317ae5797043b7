#!/usr/bin/env bash
# Runs every test project (they start real Postgres, RabbitMQ and Redis themselves), then the
# benchmark's smoke run (scripts/bench.sh --smoke, counted as one more test), and ends with one
# line: "tests: N passed, M failed[, K skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-prerequisites.sh --tests || exit 1
dotnet build QuestAspire.sln -nologo -v quiet || { echo "tests: 0 passed, 1 failed"; exit 1; }

log=$(mktemp)
# One test project at a time: each end-to-end project starts its own AppHost, and two at once crowd two cores.
dotnet test --solution QuestAspire.sln --no-build --max-parallel-test-modules 1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The last "Test run summary" block of Microsoft.Testing.Platform holds the totals of all projects.
count() { grep -E "^\s+$1: [0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
total=$(count total); failed=$(count failed); passed=$(count succeeded); skipped=$(count skipped)
# A failure's report sits mid-stream among the services' logs: keep each one (its first lines) to
# repeat just before the summary line, where a reader of the tail (CI shows only the tail) finds it.
failures=$(grep -A 16 -E '^\s*failed [A-Za-z_]' "$log" | cut -c 1-300)
rm -f "$log"

if [ "$total" -eq 0 ]; then
  echo "No test ran: see the output above."
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run itself failed (a crashed test host, a fixture that never came up)
fi

# The benchmark's smoke: a tiny run that only keeps it working; it fails on a count mismatch or a crash.
echo "bench smoke: scripts/bench.sh --smoke"
if bash scripts/bench.sh --smoke; then
  echo "bench smoke: passed"
  passed=$((passed + 1))
else
  echo "bench smoke: FAILED"
  failed=$((failed + 1))
  status=1
fi

if [ -n "$failures" ]; then
  echo "failed tests, each with the first lines of its report:"
  echo "$failures"
fi
summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
exit "$status"
