/**
 * Edge cold start in workerd (issue 13), from the published bundles, each sample a fresh
 * `workerd serve`. Inside a worker the clock only moves on I/O (Spectre mitigation), so it is
 * measured from outside, in two parts:
 *   import     startup (spawn until the worker answers a GET that touches no gait code) minus the
 *              same for an empty worker: loading and evaluating the bundle, compiling core.wasm
 *   first      the first POST (createGate on the default engine: instantiate, load the policy;
 *              then gate.check) minus the median of 10 later POSTs (the HTTP round trip)
 *   total      import + first (goal ≤ 5 ms)
 * for `compiled` (gait-wasm/compiled + the typical policy's .gaitc, embedded as a data module;
 * `compiled-verdict` takes the first decision with gate.verdict instead of gate.check) beside
 * `yaml` (the main workerd bundle + the policy's YAML text): today's path.
 *
 *   node bench/cold-start-workerd.mjs [samples]
 */
import { mkdtempSync, writeFileSync, copyFileSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorkerd } from '../test/runtimes/runtimes.mjs';
import { percentile } from './harness.mjs';
import { writeCompiledFixture, COMPILED_FIXTURE } from './instantiate.mjs';

const SELF = fileURLToPath(import.meta.url);
const file = (rel) => fileURLToPath(new URL(rel, import.meta.url));

// compiled: gate.check (the decision with its digests: SHA-256 in JavaScript here, no node:crypto);
// compiled-verdict: gate.verdict (the decision alone).
const KINDS = ['empty', 'compiled', 'compiled-verdict', 'yaml'];
const bundleOf = (kind) => (kind.startsWith('compiled') ? 'compiled-workerd' : 'workerd');

const WORKER = (kind) => `
${kind === 'empty' ? '' : `import * as gait from './gait/bundle/${bundleOf(kind)}.js';
import policy from './policy';
import intent from './intent.json';
let gate;`}
export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('ready');
    ${kind === 'empty' ? "return new Response('allow');" : `gate ??= gait.createGate(policy);\n    return new Response(gate.${kind === 'compiled-verdict' ? 'verdict' : 'check'}(intent).verdict);`}
  },
};
`;

function config(kind) {
  const modules = [`(name = "worker.js", esModule = embed "worker-${kind}.js")`];
  if (kind !== 'empty') {
    const bundle = bundleOf(kind);
    modules.push(
      `(name = "gait/bundle/${bundle}.js", esModule = embed "${bundle}.js")`,
      `(name = "gait/core.wasm", wasm = embed "core.wasm")`,
      kind.startsWith('compiled') ? '(name = "policy", data = embed "typical.policy.gaitc")' : '(name = "policy", text = embed "typical.policy.yaml")',
      '(name = "intent.json", json = embed "typical.intent.json")',
    );
  }
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:8788", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [ ${modules.join(',\n    ')} ],
  compatibilityDate = "2025-09-01",
);
`;
}

async function sample(dir, kind) {
  const server = await startWorkerd(join(dir, `${kind}.capnp`));
  try {
    const post = async () => {
      const t = performance.now();
      const r = await fetch(server.url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(10_000) });
      const text = await r.text();
      if (!r.ok || text !== 'allow') throw new Error(`workerd ${kind}: HTTP ${r.status} ${text}\n${server.log()}`);
      return performance.now() - t;
    };
    const first = await post();
    const warm = [];
    for (let i = 0; i < 10; i++) warm.push(await post());
    return { startup: server.startup_ms, first: first - percentile(warm.sort((a, b) => a - b), 50) };
  } finally {
    await server.stop();
  }
}

export async function runWorkerdColdStart({ samples = 5 } = {}) {
  process.env.GAIT_BENCH_RUN ??= String(process.pid);
  await writeCompiledFixture();
  const dir = mkdtempSync(join(tmpdir(), 'gait-cold-workerd-'));
  try {
    for (const kind of KINDS) {
      writeFileSync(join(dir, `worker-${kind}.js`), WORKER(kind));
      writeFileSync(join(dir, `${kind}.capnp`), config(kind));
    }
    for (const f of ['compiled-workerd.js', 'workerd.js']) copyFileSync(file(`../dist/bundle/${f}`), join(dir, f));
    copyFileSync(file('../dist/core.wasm'), join(dir, 'core.wasm'));
    copyFileSync(COMPILED_FIXTURE, join(dir, 'typical.policy.gaitc'));
    copyFileSync(file('./fixtures/typical.policy.yaml'), join(dir, 'typical.policy.yaml'));
    copyFileSync(file('./fixtures/typical.intent.json'), join(dir, 'typical.intent.json'));
    const runs = Object.fromEntries(KINDS.map((k) => [k, []]));
    for (let i = 0; i < samples; i++) for (const kind of Object.keys(runs)) runs[kind].push(await sample(dir, kind));
    const median = (list, key) => percentile(list.map((s) => s[key]).sort((a, b) => a - b), 50);
    const baseline = median(runs.empty, 'startup');
    const out = { samples, empty_startup_ms: baseline };
    for (const kind of KINDS.slice(1)) {
      const imp = median(runs[kind], 'startup') - baseline;
      const first = median(runs[kind], 'first');
      out[kind] = { startup_ms: median(runs[kind], 'startup'), import_ms: imp, first_ms: first, total_ms: imp + first };
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) {
  process.stdout.write(JSON.stringify(await runWorkerdColdStart({ samples: Number(process.argv[2] ?? 5) }), null, 2) + '\n');
}
