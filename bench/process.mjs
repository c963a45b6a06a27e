/**
 * `gait gate eval` as a whole process: wall time of
 *   node bin/gait.js gate eval --policy typical.policy.yaml --intent typical.intent.json --json
 * beside `node -e 0`, alternating the two so drift on a shared machine hits both alike. Runs in a
 * fresh temp dir (the CLI writes its trace file into the working directory). Checks every run
 * exits 0 with verdict `allow`.
 *
 *   node bench/process.mjs [runs]      prints the summary as JSON
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './harness.mjs';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));

function timed(args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  return { p50_ms: percentile(v, 50), p95_ms: percentile(v, 95), min_ms: v[0], max_ms: v[v.length - 1], mean_ms: v.reduce((a, b) => a + b, 0) / v.length };
}

export function runProcessBench({ runs = 20 } = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'gait-bench-process-'));
  const gaitArgs = [path('../bin/gait.js'), 'gate', 'eval', '--policy', path('./fixtures/typical.policy.yaml'), '--intent', path('./fixtures/typical.intent.json'), '--json'];
  const nodeArgs = ['-e', '0'];
  const gait = [];
  const node = [];
  try {
    // One untimed run of each: file-system caches.
    timed(nodeArgs, cwd);
    timed(gaitArgs, cwd);
    for (let i = 0; i < runs; i++) {
      const n = timed(nodeArgs, cwd);
      if (n.status !== 0) throw new Error(`node -e 0 exited ${n.status}`);
      node.push(n.ms);
      const g = timed(gaitArgs, cwd);
      if (g.status !== 0) throw new Error(`gait gate eval exited ${g.status}: ${g.stderr}`);
      const verdict = JSON.parse(g.stdout).verdict;
      if (verdict !== 'allow') throw new Error(`gait gate eval: verdict ${verdict}, expected allow`);
      gait.push(g.ms);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  const g = stats(gait);
  const n = stats(node);
  return {
    runs,
    command: `node bin/gait.js ${gaitArgs.slice(1).map((a) => a.replace(/^.*\/bench\//, 'bench/')).join(' ')}`,
    gait: g,
    node_e_0: n,
    ratio_p50: g.p50_ms / n.p50_ms,
    overhead_p50_ms: g.p50_ms - n.p50_ms,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(runProcessBench({ runs: Number(process.argv[2] ?? 20) }), null, 2) + '\n');
}
