#!/usr/bin/env bash
# How long the play counter takes to start, as a ratio against reading the same files in the same run
# (shared/DESIGN.md, "How performance is measured here"):
#
#   a  a log of BENCH_LOG_MB (1 GB: tens of millions of records) over 100,000 songs, snapshots off
#   b  BENCH_SONGS songs (a million): the newest snapshot plus the log after it, as the counter leaves them
#
# Both are made by the counter itself (batch durability, one thread playing round-robin so that a batch
# coalesces nothing), then, alternating, PlayCounts.OpenAsync is timed against a plain FileStream loop that
# reads the same files to nowhere. The files sit in the page cache for both, so the ratio is what parsing and
# rebuilding the counts cost over touching the bytes. Medians of BENCH_RUNS; the ratios come last.
#
# Usage, from anywhere:
#   bench/counter-startup.sh                                          # 1 GB + 1,000,000 songs, 5 runs: ~3 minutes
#   BENCH_LOG_MB=128 BENCH_SONGS=100000 BENCH_RUNS=3 bench/counter-startup.sh    # a quick look
# Settings (environment): BENCH_LOG_MB (1024), BENCH_SONGS (1000000), BENCH_RUNS (5), BENCH_DIR (where the
# files go; a new directory under it is removed on exit; default the system temp directory, needs
# BENCH_LOG_MB plus ~100 MB free).
set -euo pipefail

LOG_MB=${BENCH_LOG_MB:-1024}
SONGS=${BENCH_SONGS:-1000000}
RUNS=${BENCH_RUNS:-5}

fail() { echo "bench/counter-startup.sh: $*" >&2; exit 1; }

for setting in LOG_MB SONGS RUNS; do
    [[ ${!setting} =~ ^[0-9]+$ ]] || fail "BENCH_$setting must be a whole number, not '${!setting}'"
done
((LOG_MB >= 1 && LOG_MB <= 65536)) || fail "BENCH_LOG_MB must be between 1 and 65536"
((SONGS >= 1 && SONGS <= 100000000)) || fail "BENCH_SONGS must be between 1 and 100000000"
((RUNS >= 1 && RUNS <= 100)) || fail "BENCH_RUNS must be between 1 and 100"
command -v dotnet >/dev/null || fail "dotnet is not installed (the SDK that global.json names is needed)"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$repo/bench/results/counter-startup
data=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/counter-startup.XXXXXX")
trap 'rm -rf "$data"' EXIT

echo "Building (Release) into bench/results/counter-startup..."
rm -rf "$results"
mkdir -p "$results"
dotnet publish "$repo/bench/Mergepoints.Bench.CounterStartup" -c Release -o "$results/build" --nologo -v quiet >"$results/build.log" 2>&1 \
    || { cat "$results/build.log" >&2; fail "building bench/Mergepoints.Bench.CounterStartup failed"; }

echo "nproc $(nproc), .NET $(dotnet --version), $(df -T "$data" | awk 'NR == 2 { print $2 }') at $data"
dotnet "$results/build/Mergepoints.Bench.CounterStartup.dll" "$data" "$LOG_MB" "$SONGS" "$RUNS" | tee "$results/output.txt"
