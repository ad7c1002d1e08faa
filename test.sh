#!/usr/bin/env bash
# The README's test command: installs what the tests need that a fresh machine lacks, then runs every test
# project of the solution. Tests that need a server the machine lacks skip outside CI and fail in CI (CI=true).
# Today every test runs on in-process Kestrel over loopback sockets, so nothing needs installing yet.
set -euo pipefail
cd "$(dirname "$0")"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test Mergepoints.sln "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line, whatever the runner printed above it.
awk '/^[[:space:]]+(succeeded|failed|skipped):/ { n[$1] += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", n["succeeded:"], n["failed:"], n["skipped:"] }' "$log"
exit "$status"
