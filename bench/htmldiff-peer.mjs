// The peer side of bench/htmldiff.sh: times one npm HTML-diff package on one pair of the documents the
// .NET side diffs, in this node process, and prints one JSON line. The script runs one process per pair
// under `timeout`, so a peer that takes minutes on the large pairs is cut off, not waited for.
//
//   node bench/htmldiff-peer.mjs PACKAGE_DIR PACKAGE DOCS_DIR PAIR [RUNS]
//
// PACKAGE is one of: @ali-tas/htmldiff-js, htmldiff-js, node-htmldiff (each exports its diff differently).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [packageDir, packageName, docs, pair, runsArgument] = process.argv.slice(2);
const require = createRequire(join(packageDir, 'package.json'));
const loaded = require(packageName);
const diff = {
  '@ali-tas/htmldiff-js': (a, b) => loaded.Diff.execute(a, b),
  'htmldiff-js': (a, b) => (loaded.default ?? loaded).execute(a, b),
  'node-htmldiff': (a, b) => loaded(a, b),
}[packageName];
if (!diff) {
  console.error(`htmldiff-peer.mjs: unknown package ${packageName}`);
  process.exit(2);
}

const oldHtml = readFileSync(join(docs, `${pair}.old.html`), 'utf8');
const newHtml = readFileSync(join(docs, `${pair}.new.html`), 'utf8');
const runs = Number(runsArgument ?? 5);

// One run to warm the JIT up (and to see whether the pair is worth repeating), then the timed runs.
let start = performance.now();
let output = diff(oldHtml, newHtml);
const first = performance.now() - start;
const times = [];
for (let run = 0; run < (first > 20000 ? 0 : runs); run++) {
  start = performance.now();
  output = diff(oldHtml, newHtml);
  times.push(performance.now() - start);
}
times.sort((x, y) => x - y);
const median = times.length ? times[Math.floor(times.length / 2)] : first;
console.log(JSON.stringify({ package: packageName, pair, runs: times.length, medianMs: median, firstMs: first, outputChars: output.length }));
