/**
 * `npm run bench`: the full benchmark run (issue #5). Needs a build (`npm run build`; the npm
 * script does it first). Takes about two minutes on a 2-core machine:
 *   - every case of cases.mjs with the full harness (3 interleaved rounds, in a child process), cedar-wasm peer and noop floor included;
 *   - core.wasm size; cold start in fresh processes (instantiate.mjs);
 *   - memory after 10 M core evaluations plus a timed full-path soak (memory.mjs);
 *   - `gait gate eval` as a whole process against `node -e 0` (process.mjs);
 *   - `gait mcp serve` under load, ours beside Gait's own when the oracle is there (mcp-serve-load.mjs).
 * Writes bench/results.json and bench/results.md and prints the Markdown. Progress goes to stderr.
 *
 * Options (for development; the defaults are the issue's):
 *   --soak-count N    core evaluations in the memory soak (default 10000000)
 *   --soak-seconds S  seconds of the full-path soak (default 10)
 *   --process-runs N  whole-process runs (default 20)
 *   --starts N        fresh-process start-up samples (default 10)
 *   --rounds N        interleaved passes over the cases (default 3)
 *   --only REGEX      measure only matching cases (plus those the targets need)
 *   --serve-seconds S seconds per `mcp serve` load run (default 5; 0 skips the load bench)
 *   --serve-rounds N  rounds per `mcp serve` server (default 3)
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { FULL, measureCases, percentile, sinkValue } from './harness.mjs';
import { runCedarPeer } from './peer.mjs';
import { machineInfo, sourceRevision } from './machine.mjs';
import { runMemorySoak } from './memory.mjs';
import { runInstantiate } from './instantiate.mjs';
import { runWorkerdColdStart } from './cold-start-workerd.mjs';
import { runProcessBench } from './process.mjs';
import { runMcpServeLoad } from './mcp-serve-load.mjs';
import { judgeTargets, writeResults } from './report.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const log = (line) => process.stderr.write(line + '\n');

const machine = machineInfo();
const wasm = readFileSync(new URL('../dist/core.wasm', import.meta.url));
const only = arg('--only') ? new RegExp(arg('--only')) : undefined;

const rounds = Number(arg('--rounds', 3));

/**
 * The gait cases run in a child process, which prints its results as JSON; the cedar-wasm peer
 * runs in processes of its own, one per round, each with the floor and the typical cases beside it
 * (see peer.mjs: Node 20's V8 crashes when cedar-wasm is re-measured in the big process). A child
 * killed by a signal is retried and the crash recorded.
 */
async function measureChild() {
  const { buildCases } = await import('./cases.mjs');
  const { cases, info } = await buildCases({ withCedar: false });
  const ids = ['floor/noop', 'typical/object:decision', 'typical/object:full', 'typical/core', 'typical/encode+core', 'rules1000/object:decision', 'rules1000/core', 'rules1000/encode+core'];
  const selected = only ? cases.filter((c) => only.test(c.id) || ids.includes(c.id)) : cases;
  const { results, floor } = await measureCases(selected, FULL, log, rounds);
  process.stdout.write(JSON.stringify({ results, floor, info, sink: sinkValue() }));
}

if (process.argv.includes('--measure-child')) {
  await measureChild();
  process.exit(0);
}

log(`gait-wasm bench on ${machine.cpu_model} (${machine.cores} cores), Node ${machine.node}, load ${machine.loadavg.join(' ')}`);
const crashes = [];
let measured;
for (let attempt = 1; !measured; attempt++) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure-child', ...process.argv.slice(2)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  if (child.status === 0) measured = JSON.parse(child.stdout);
  else {
    crashes.push({ process: 'cases', attempt, status: child.status, signal: child.signal });
    log(`case measurement died (status ${child.status}, signal ${child.signal}); ${attempt < 3 ? 'retrying' : 'giving up'}`);
    if (attempt >= 3) process.exit(1);
  }
}
const { results, floor, info } = measured;

log('cedar-wasm peer ...');
const peer = runCedarPeer({ rounds, opts: FULL, log });
crashes.push(...peer.crashes.map((c) => ({ process: 'cedar peer', ...c })));
const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);
const peerCase = (run, id) => run.results.find((x) => x.id === id);
const cedarRuns = peer.runs.map((run) => peerCase(run, 'cedar/typical'));
const cedarMedian = [...cedarRuns].sort((a, b) => a.p50_ns - b.p50_ns)[(cedarRuns.length - 1) >> 1];
const cedarFloor = median(peer.runs.map((run) => run.floor.p50_ns));
const cedarRow = {
  ...cedarMedian,
  round_p50_ns: cedarRuns.map((x) => x.p50_ns),
  noise: Math.max(...cedarRuns.map((x) => x.p50_ns)) / Math.min(...cedarRuns.map((x) => x.p50_ns)),
  x_floor: cedarMedian.p50_ns / cedarFloor,
  note: 'measured in its own processes (one per round) beside the floor and the typical cases; x_floor uses that process floor',
};
for (const x of results) x.vs_cedar = cedarRow.p50_ns / x.p50_ns;
cedarRow.vs_cedar = 1;
results.push(cedarRow);
info.cedar = peer.runs[0].cedar;
// Same-process ratios from the peer processes: cedar p50 / gait p50, per round.
const samePeer = {
  typical_object_decision: peer.runs.map((run) => peerCase(run, 'cedar/typical').p50_ns / peerCase(run, 'typical/object:decision').p50_ns),
  typical_core: peer.runs.map((run) => peerCase(run, 'cedar/typical').p50_ns / peerCase(run, 'typical/core').p50_ns),
  floor_p50_ns: peer.runs.map((run) => run.floor.p50_ns),
};

log('memory soak ...');
const memory = runMemorySoak({ count: Number(arg('--soak-count', 10_000_000)), fullSeconds: Number(arg('--soak-seconds', 10)) });
log('fresh-process start-up ...');
const instantiate = await runInstantiate({ samples: Number(arg('--starts', 10)) });
log('workerd cold start ...');
const workerdColdStart = await runWorkerdColdStart({ samples: Number(arg('--starts', 10)) });
log('whole-process gate eval ...');
const processBench = runProcessBench({ runs: Number(arg('--process-runs', 20)) });
const serveSeconds = Number(arg('--serve-seconds', 5));
let mcpServe;
if (serveSeconds > 0) {
  log('mcp serve under load ...');
  mcpServe = await runMcpServeLoad({ seconds: serveSeconds, rounds: Number(arg('--serve-rounds', 3)), log });
}

/** gait-wasm/compiled for each runtime: bundle and bundle + core.wasm, raw and gzip -9. */
function decideOnlySizes() {
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const out = {};
  for (const name of ['node', 'browser', 'workerd', 'portable']) {
    const b = readFileSync(new URL(`../dist/bundle/compiled-${name}.js`, import.meta.url));
    out[name] = { bytes: b.length, gzip_bytes: gz(b), with_core_bytes: b.length + wasm.length, with_core_gzip_bytes: gz(b) + gz(wasm) };
  }
  return out;
}

const report = {
  schema: 'gait-wasm.bench.results/1',
  generated_at: new Date().toISOString(),
  source_revision: sourceRevision(),
  machine,
  loadavg_end: os.loadavg().map((x) => Math.round(x * 100) / 100),
  harness: { ...FULL, rounds },
  floor,
  cases: results,
  info,
  core_wasm: { bytes: wasm.length, gzip_bytes: gzipSync(wasm, { level: 9 }).length },
  instantiate,
  workerd_cold_start: workerdColdStart,
  decide_only_bundle: decideOnlySizes(),
  memory,
  process: processBench,
  mcp_serve: mcpServe,
  sink: measured.sink,
  measurement_crashes: crashes,
  cedar_same_process: samePeer,
};
report.targets = judgeTargets(report);
process.stdout.write(writeResults(report) + '\n');
