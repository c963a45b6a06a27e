/**
 * `npm run bench:check`: the regression guard. A short run of every case (about 20 s after the
 * build), each case's p50 divided by the floor's (`engine.noop`) p50, compared with the same ratio
 * in bench/baseline.json. Exits 1 when a case is more than `factor` (3) times its baseline ratio.
 * Ratios, not absolute times, so a faster or slower machine does not trip it; a case that trips is
 * measured again (with a fresh floor) up to twice and fails only if it trips every time, because a
 * shared 2-core machine has bursts of noise.
 *
 *   node bench/check.mjs                       check against bench/baseline.json
 *   node bench/check.mjs --update-baseline     write bench/baseline.json (median of 3 short rounds)
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildCases } from './cases.mjs';
import { SHORT, measure, measureCases } from './harness.mjs';
import { machineInfo, sourceRevision } from './machine.mjs';
import { formatNs } from './report.mjs';

const BASELINE = new URL('./baseline.json', import.meta.url);
const FACTOR = 3;
const RETRIES = 2;
const log = (line) => process.stderr.write(line + '\n');
const started = performance.now();

// The work runs in a child process: Node 20's V8 rarely dies with a fatal error while these
// loops run (see run.mjs), and a crash is not a regression. A child killed by a signal is retried.
if (!process.argv.includes('--child')) {
  for (let attempt = 1; ; attempt++) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...process.argv.slice(2)], { stdio: 'inherit' });
    if (child.signal === null && child.status !== null) process.exit(child.status);
    log(`bench:check child died (signal ${child.signal}); ${attempt < 3 ? 'retrying' : 'giving up'}`);
    if (attempt >= 3) process.exit(1);
  }
}

const { cases } = await buildCases({ withCedar: false });

if (process.argv.includes('--update-baseline')) {
  const { results, floor } = await measureCases(cases, SHORT, log, 3);
  const baseline = {
    schema: 'gait-wasm.bench.baseline/1',
    generated_at: new Date().toISOString(),
    source_revision: sourceRevision(),
    machine: machineInfo(),
    note: 'x_floor = case p50 / engine.noop p50 from `node bench/check.mjs --update-baseline` (median of 3 short rounds). bench:check fails when a case exceeds factor × x_floor.',
    factor: FACTOR,
    harness: SHORT,
    floor_p50_ns: floor.p50_ns,
    cases: Object.fromEntries(results.map((r) => [r.id, { x_floor: round(r.x_floor), p50_ns: round(r.p50_ns), noise: round(r.noise) }])),
  };
  writeFileSync(BASELINE, JSON.stringify(baseline, null, 2) + '\n');
  log(`wrote ${BASELINE.pathname} (${results.length} cases, floor ${formatNs(floor.p50_ns)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.exit(0);
}

if (!existsSync(BASELINE)) {
  log('bench/baseline.json is missing: run `node bench/check.mjs --update-baseline` on this machine first');
  process.exit(1);
}
const baseline = JSON.parse(readFileSync(BASELINE, 'utf8'));
const factor = baseline.factor ?? FACTOR;
const { results, floor } = await measureCases(cases, SHORT, () => {}, 1);

const floorCase = cases.find((c) => c.group === 'floor');
const rows = [];
let failed = 0;
for (const r of results) {
  const base = baseline.cases[r.id];
  if (!base) {
    rows.push({ id: r.id, now: r.x_floor, base: undefined, status: 'new (no baseline)' });
    continue;
  }
  let now = r.x_floor;
  let attempts = 1;
  while (now > base.x_floor * factor && attempts <= RETRIES) {
    // Re-measure the case and a fresh floor; keep the best ratio seen.
    const c = cases.find((x) => x.id === r.id);
    const f = await measure(floorCase.fn, SHORT);
    const again = await measure(c.fn, { ...SHORT, isAsync: !!c.isAsync });
    now = Math.min(now, again.p50_ns / Math.max(f.p50_ns, floor.p50_ns));
    attempts++;
  }
  const regressed = now > base.x_floor * factor;
  if (regressed) failed++;
  rows.push({ id: r.id, now, base: base.x_floor, status: regressed ? `REGRESSED (> ${factor}× baseline)` : attempts > 1 ? 'ok (after re-measure)' : 'ok' });
}
for (const id of Object.keys(baseline.cases)) {
  if (!results.some((r) => r.id === id)) rows.push({ id, now: undefined, base: baseline.cases[id].x_floor, status: 'missing (case removed?)' });
}

const w = Math.max(...rows.map((r) => r.id.length));
const x = (v) => (v === undefined ? '—' : `${v.toFixed(v < 10 ? 2 : 0)}×`);
log(`bench:check: floor ${formatNs(floor.p50_ns)}; ratio to floor now vs baseline (${baseline.generated_at}), fail above ${factor}× baseline`);
log(`${'case'.padEnd(w)}  ${'now'.padStart(9)}  ${'baseline'.padStart(9)}  ${'now/base'.padStart(8)}  status`);
for (const r of rows) {
  const rel = r.now !== undefined && r.base !== undefined ? (r.now / r.base).toFixed(2) : '—';
  log(`${r.id.padEnd(w)}  ${x(r.now).padStart(9)}  ${x(r.base).padStart(9)}  ${rel.padStart(8)}  ${r.status}`);
}
log(`${failed === 0 ? 'bench:check passed' : `bench:check FAILED: ${failed} case(s) regressed`} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed === 0 ? 0 : 1);

function round(v) {
  return Math.round(v * 1000) / 1000;
}
