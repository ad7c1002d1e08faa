#!/usr/bin/env bash
# The HTML diff library's performance goals, measured against the fastest peer that runs here, in one run
# (shared/DESIGN.md, "How performance is measured here"):
#
#   1 MB documents differing in 1% of their words         under 200 ms
#   10 KB, 100 KB, 1 MB, 10 MB at that rate               cost about linear in the size
#   two 100 KB documents that share no word                under 1 s
#
# Ours: bench/Mergepoints.Bench.HtmlDiff under BenchmarkDotNet (time and allocation per diff).
# Peer: @ali-tas/htmldiff-js (the fastest of the npm HTML diffs tried here) under node, on the same files,
#       timed before and after ours; a pair it has not finished after BENCH_PEER_TIMEOUT seconds is reported
#       as such. The documents are generated from fixed seeds, so every run diffs the same bytes.
#
# Usage, from anywhere (needs dotnet, node and npm; installs the peer into bench/results/htmldiff/peer):
#   bench/htmldiff.sh                  # about 10 minutes, most of it the peer on the large pairs
#   BENCH_PEER_TIMEOUT=30 bench/htmldiff.sh
# Settings (environment): BENCH_PEER_TIMEOUT seconds per peer pair (120), BENCH_PEER_RUNS timed runs per
# pair after a warm-up run (5).
set -euo pipefail

PEER_PACKAGE=@ali-tas/htmldiff-js
PEER_VERSION=2.0.1
PEER_TIMEOUT=${BENCH_PEER_TIMEOUT:-120}
PEER_RUNS=${BENCH_PEER_RUNS:-5}
PAIRS=(10KB 100KB 1MB 10MB dissimilar-100KB)

fail() { echo "bench/htmldiff.sh: $*" >&2; exit 1; }

[[ $PEER_TIMEOUT =~ ^[0-9]+$ && $PEER_TIMEOUT -ge 1 ]] || fail "BENCH_PEER_TIMEOUT must be a whole number of seconds, not '$PEER_TIMEOUT'"
[[ $PEER_RUNS =~ ^[0-9]+$ && $PEER_RUNS -ge 1 && $PEER_RUNS -le 100 ]] || fail "BENCH_PEER_RUNS must be between 1 and 100"
for tool in dotnet node npm timeout; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$repo/bench/results/htmldiff
docs=$work/docs
peer=$work/peer
mkdir -p "$work"

echo "== peer: $PEER_PACKAGE@$PEER_VERSION"
if [[ ! -f $peer/node_modules/$PEER_PACKAGE/package.json ]] || ! grep -q "\"version\": \"$PEER_VERSION\"" "$peer/node_modules/$PEER_PACKAGE/package.json"; then
    mkdir -p "$peer"
    [[ -f $peer/package.json ]] || echo '{"private": true}' >"$peer/package.json"
    npm install --prefix "$peer" --no-audit --no-fund --loglevel=error "$PEER_PACKAGE@$PEER_VERSION" >/dev/null
fi

echo "== build (Release)"
dotnet build "$repo/bench/Mergepoints.Bench.HtmlDiff" -c Release -o "$work/build" -v quiet -nologo >/dev/null
bench=(dotnet "$work/build/Mergepoints.Bench.HtmlDiff.dll")

echo "== documents (seeded)"
"${bench[@]}" generate "$docs"

# One round of the peer over the pairs; a pair that timed out in round 1 is not tried again.
peer_round() {
    local round=$1 pair line
    for pair in "${PAIRS[@]}"; do
        if [[ $round == 2 ]] && grep -q "\"pair\":\"$pair\",\"timedOut\":true" "$work/peer-1.jsonl" 2>/dev/null; then
            continue
        fi
        if line=$(timeout "$PEER_TIMEOUT" node "$repo/bench/htmldiff-peer.mjs" "$peer" "$PEER_PACKAGE" "$docs" "$pair" "$PEER_RUNS"); then
            echo "$line"
        else
            echo "{\"package\":\"$PEER_PACKAGE\",\"pair\":\"$pair\",\"timedOut\":true,\"timeoutS\":$PEER_TIMEOUT}"
        fi
    done >"$work/peer-$round.jsonl"
    sed 's/^/   /' "$work/peer-$round.jsonl"
}

echo "== peer, round 1"
peer_round 1

echo "== ours (BenchmarkDotNet)"
rm -rf "$work/bdn"
MERGEPOINTS_BENCH_DOCS=$docs "${bench[@]}" --filter '*' --artifacts "$work/bdn" --exporters json >"$work/bdn.log" 2>&1 \
    || { tail -n 40 "$work/bdn.log"; fail "BenchmarkDotNet failed (log: $work/bdn.log)"; }
report=$(ls "$work"/bdn/results/*-report-full*.json | head -n 1)

echo "== peer, round 2"
peer_round 2

echo
node - "$report" "$work/peer-1.jsonl" "$work/peer-2.jsonl" "${PAIRS[@]}" <<'NODE'
const fs = require('fs');
const [reportPath, peer1, peer2, ...pairs] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
const ours = {};
for (const b of report.Benchmarks) {
  const pair = b.Parameters.replace(/^Pair=/, '');
  ours[pair] = { ms: b.Statistics.Median / 1e6, mb: b.Memory.BytesAllocatedPerOperation / 1e6 };
}
const peer = {};
for (const file of [peer1, peer2]) {
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    (peer[r.pair] ??= []).push(r);
  }
}
const rows = [['pair', 'ours ms (median)', 'ours MB allocated', 'peer ms (faster round)', 'ours/peer']];
const ratio = {};
for (const pair of pairs) {
  const o = ours[pair];
  const runs = peer[pair] ?? [];
  const timedOut = runs.find(r => r.timedOut);
  // Each round's figure is the median of its runs; the peer gets the faster of the two rounds.
  const p = timedOut ? null : Math.min(...runs.map(r => r.medianMs));
  ratio[pair] = p ? o.ms / p : null;
  rows.push([pair, o.ms.toFixed(1), o.mb.toFixed(1), timedOut ? `> ${timedOut.timeoutS * 1000} (timed out)` : p.toFixed(1),
    p ? ratio[pair].toFixed(4) : `< ${(o.ms / (timedOut.timeoutS * 1000)).toFixed(4)}`]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
for (const r of rows) console.log(r.map((v, c) => c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c])).join('  '));
const per = (pair, goalMs) => `${pair} ${ours[pair].ms.toFixed(1)} ms (goal < ${goalMs} ms: ${ours[pair].ms < goalMs ? 'met' : 'MISSED'})`;
const scale = pairs.slice(0, 4).map(p => `${p} ${(ours[p].ms / ours['10KB'].ms).toFixed(0)}x`).join(', ');
console.log(`\n${per('1MB', 200)}; ${per('dissimilar-100KB', 1000)}`);
console.log(`time relative to 10KB, for 1x, 10x, 100x and 1000x the size: ${scale}`);
console.log(`ratio ours/peer (time, 1MB with 1% changed): ${ratio['1MB'] === null ? 'peer timed out' : ratio['1MB'].toFixed(4)}`);
NODE
