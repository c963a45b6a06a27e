/**
 * Memory soak: many typical evaluations in a fresh process, memory measured before and after.
 *
 *   node bench/memory.mjs [--count 10000000] [--full-seconds 10] [--loads 100000] [--gates 10000]
 *
 * Phase 1 runs `count` core evaluations (engine.evaluate with the pre-encoded typical intent: the
 * WASM call, its work area and the outcome decode), sampling `engine.memoryBytes` every 10%.
 * Phase 2 runs the full `gate.evaluate(object)` path for a fixed time (at ~100 µs a call, 10 M of
 * them would take ~20 minutes), to see that the JS heap stays flat too. Phase 3 runs `loads`
 * engine.load + engine.unload cycles of the typical compiled policy, then `gates` cycles of
 * `new Gate(engine, policy)` + `gate.dispose()` (compilation included), to see that unloaded
 * memory is reused: WASM memory after them equals what it was after the first few. Prints one
 * JSON object. `runMemorySoak()` spawns this file with --expose-gc and returns that object.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;

export function runMemorySoak({ count = 10_000_000, fullSeconds = 10, loads = 100_000, gates = 10_000 } = {}) {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), '--child', '--count', String(count), '--full-seconds', String(fullSeconds), '--loads', String(loads), '--gates', String(gates)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`memory soak failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout);
}

function snapshot(engine) {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { wasm_bytes: engine.memoryBytes, rss: m.rss, heap_used: m.heapUsed, heap_total: m.heapTotal, external: m.external, array_buffers: m.arrayBuffers };
}

function delta(before, after) {
  return Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]]));
}

async function child(count, fullSeconds, loads, gates) {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  const { createEngineSync } = await import('../dist/load/node.js');
  const { Gate } = await import('../dist/gate.js');
  const { compilePolicy } = await import('../dist/core/compile.js');
  const { encodeIntent } = await import('../dist/core/encode.js');
  const { parsePolicyYaml } = await import('../dist/policy/parse.js');
  const { TYPICAL_POLICY_YAML, TYPICAL_INTENT_TEXT } = await import('./cases.mjs');

  const engine = createEngineSync();
  const gate = new Gate(engine, parsePolicyYaml(TYPICAL_POLICY_YAML));
  const loaded = engine.load(compilePolicy(gate.policy));
  const object = JSON.parse(TYPICAL_INTENT_TEXT);
  const prepared = gate.evaluate(object).prepared;
  const encoded = encodeIntent(prepared, loaded.compiled).slice(); // the encoder may reuse its buffer
  let acc = 0;

  // Phase 1: core evaluations.
  for (let i = 0; i < 100_000; i++) acc += engine.evaluate(loaded, encoded, []).verdict.length;
  const coreBefore = snapshot(engine);
  const trajectory = [];
  const step = Math.max(1, Math.floor(count / 10));
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < count; ) {
    const n = Math.min(step, count - done);
    for (let i = 0; i < n; i++) acc += engine.evaluate(loaded, encoded, []).verdict.length;
    done += n;
    trajectory.push({ evaluations: done, wasm_bytes: engine.memoryBytes, rss: process.memoryUsage.rss() });
  }
  const coreSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const coreAfter = snapshot(engine);

  // Phase 2: full evaluations from a parsed object, for a fixed time.
  for (let i = 0; i < 2_000; i++) acc += gate.evaluate(object).intent_digest.length;
  const fullBefore = snapshot(engine);
  let fullCount = 0;
  const end = performance.now() + fullSeconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 500; i++) acc += gate.evaluate(object).intent_digest.length;
    fullCount += 500;
  }
  const fullAfter = snapshot(engine);

  // Phase 3: load/unload cycles of one compiled policy, then gate create/dispose cycles.
  for (let i = 0; i < 10; i++) engine.unload(engine.load(loaded.compiled));
  const loadsBefore = snapshot(engine);
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < loads; i++) engine.unload(engine.load(loaded.compiled));
  const loadsSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  const loadsAfter = snapshot(engine);
  for (let i = 0; i < 10; i++) new Gate(engine, gate.policy).dispose();
  const gatesBefore = snapshot(engine);
  const t2 = process.hrtime.bigint();
  for (let i = 0; i < gates; i++) new Gate(engine, gate.policy).dispose();
  const gatesSeconds = Number(process.hrtime.bigint() - t2) / 1e9;
  const gatesAfter = snapshot(engine);
  acc += gate.evaluate(object).intent_digest.length; // the long-lived gate still works

  const phase = (name, evaluations, seconds, before, after, extra = {}) => {
    const d = delta(before, after);
    return {
      name,
      evaluations,
      seconds,
      before,
      after,
      delta: d,
      // Flat: WASM memory did not grow at all, and the live JS heap grew by less than 1 MiB.
      flat: d.wasm_bytes === 0 && d.heap_used < MiB,
      ...extra,
    };
  };
  process.stdout.write(
    JSON.stringify({
      core: phase('engine.evaluate (pre-encoded typical intent)', count, coreSeconds, coreBefore, coreAfter, { trajectory }),
      full: phase('gate.evaluate(object) (typical, full result)', fullCount, fullSeconds, fullBefore, fullAfter),
      loads: phase('engine.load + engine.unload (typical compiled policy)', loads, loadsSeconds, loadsBefore, loadsAfter, { resident_bytes: engine.residentBytes }),
      gates: phase('new Gate(engine, policy) + gate.dispose() (typical)', gates, gatesSeconds, gatesBefore, gatesAfter),
      sink: acc,
    }),
  );
}

if (process.argv.includes('--child')) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  await child(arg('--count', 10_000_000), arg('--full-seconds', 10), arg('--loads', 100_000), arg('--gates', 10_000));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const result = runMemorySoak({ count: arg('--count', 10_000_000), fullSeconds: arg('--full-seconds', 10), loads: arg('--loads', 100_000), gates: arg('--gates', 10_000) });
  process.stdout.write(JSON.stringify(result, (k, v) => (k === 'trajectory' ? undefined : v), 2) + '\n');
}
