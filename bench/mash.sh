#!/usr/bin/env bash
# The mash engine against its goals (docs/performance.md, "Mash engine"): the whole mash of two 3-minute 44.1 kHz
# stereo WAVs, decode to written file, under 3 s; one song's analysis against aubioonset (Debian's aubio-tools,
# onsets only) on the same file, at most 2x. The songs are synthesized, the same on every run (chords, bass, kick,
# hi-hat, noise). It also times our 2048-point FFT against MathNet.Numerics'. Medians of BENCH_RUNS after a
# warm-up; each stage's time; the ratio comes last.
#
# Usage, from anywhere:
#   bench/mash.sh                                   # 5 runs of 3-minute songs: about a minute
#   BENCH_RUNS=2 BENCH_SECONDS=30 bench/mash.sh     # a quick look
# As root it installs aubio-tools with apt-get when aubioonset is missing.
set -euo pipefail

RUNS=${BENCH_RUNS:-5}
SECONDS_LONG=${BENCH_SECONDS:-180}

fail() { echo "bench/mash.sh: $*" >&2; exit 1; }

[[ $RUNS =~ ^[0-9]+$ ]] && ((RUNS >= 1 && RUNS <= 100)) || fail "BENCH_RUNS must be between 1 and 100"
[[ $SECONDS_LONG =~ ^[0-9]+$ ]] && ((SECONDS_LONG >= 5 && SECONDS_LONG <= 1200)) || fail "BENCH_SECONDS must be between 5 and 1200"
command -v dotnet >/dev/null || fail "dotnet is not installed (the SDK that global.json names is needed)"

if ! command -v aubioonset >/dev/null; then
    if [[ $(id -u) -eq 0 ]]; then
        echo "Installing aubio-tools for aubioonset..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq aubio-tools >/dev/null
    elif command -v sudo >/dev/null; then
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq aubio-tools >/dev/null
    fi
    command -v aubioonset >/dev/null || fail "aubioonset is missing: apt-get install aubio-tools"
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$repo/bench/results/mash
data=$(mktemp -d "${TMPDIR:-/tmp}/mash-bench.XXXXXX")
trap 'rm -rf "$data"' EXIT

echo "Building (Release) into bench/results/mash..."
rm -rf "$results"
mkdir -p "$results"
dotnet publish "$repo/bench/Mergepoints.Bench.Mash" -c Release -o "$results/build" --nologo -v quiet >"$results/build.log" 2>&1 \
    || { cat "$results/build.log" >&2; fail "building bench/Mergepoints.Bench.Mash failed"; }

echo "nproc $(nproc), .NET $(dotnet --version), aubio-tools $(dpkg-query -W -f '${Version}' aubio-tools 2>/dev/null || echo '?'), load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$results/build/Mergepoints.Bench.Mash.dll" "$data" "$RUNS" "$SECONDS_LONG" "$(command -v aubioonset)" | tee "$results/output.txt"
