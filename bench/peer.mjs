/**
 * The cedar-wasm peer's own processes (see runCedarPeer). A separate entry point from cedar.mjs,
 * which cases.mjs imports: a child started from cedar.mjs would import itself again through
 * cases.mjs while its top-level await is pending, and never settle.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs the peer in its own processes, one per round: each measures the floor, the typical core
 * and decision-only cases and cedar-wasm together (so their ratio is a same-process one), then
 * exits. Why not in the main measurement process: with cedar-wasm there, Node 20.20.2 (V8 11.3)
 * dies with a fatal "unreachable code" in Deoptimizer::DoComputeBuiltinContinuation (SIGTRAP)
 * when the cedar case is measured again, in round 2 or 3, after the other cases: 5 of 5 full
 * runs. Measured here with a subset of the cases: 3 of 3 runs crashed with default flags, 0 of 3
 * with --no-turbo-inline-js-wasm-calls, so it is V8 deoptimizing an inlined JS->Wasm call while
 * cedar's module calls back into JS. gait's core imports nothing, so it never calls back.
 * A child killed by a signal is retried (twice) and recorded.
 */
export function runCedarPeer({ rounds = 3, opts, log = () => {} } = {}) {
  const runs = [];
  const crashes = [];
  for (let round = 1; round <= rounds; round++) {
    for (let attempt = 1; ; attempt++) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--peer-child', JSON.stringify(opts ?? null)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (child.status === 0) {
        runs.push(JSON.parse(child.stdout));
        break;
      }
      crashes.push({ round, attempt, status: child.status, signal: child.signal });
      log(`cedar peer process died (status ${child.status}, signal ${child.signal})`);
      if (attempt >= 3) throw new Error('cedar peer: gave up after 3 crashes');
    }
    const r = runs[runs.length - 1];
    log(`[peer ${round}/${rounds}] ${r.results.map((x) => `${x.id} ${x.p50_ns.toFixed(0)} ns`).join(', ')}`);
  }
  return { runs, crashes };
}

async function peerChild(opts) {
  const { buildCases } = await import('./cases.mjs');
  const { FULL, measureCases } = await import('./harness.mjs');
  const { cases, info } = await buildCases({ typicalOnly: true, withCedar: true, withCrypto: false });
  const wanted = ['floor/noop', 'typical/core', 'typical/object:decision', 'cedar/typical'];
  const selected = wanted.map((id) => cases.find((c) => c.id === id));
  const { results, floor } = await measureCases(selected, opts ?? FULL, () => {}, 1);
  process.stdout.write(JSON.stringify({ results, floor, cedar: info.cedar }));
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--peer-child')) {
  await peerChild(JSON.parse(process.argv[process.argv.indexOf('--peer-child') + 1]));
}
