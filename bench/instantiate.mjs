/**
 * Cold start, each sample in a fresh process (V8 caches compiled modules within a process):
 *   import    loading the dist/ JavaScript modules the gate needs
 *   read      readFileSync(core.wasm)
 *   compile   new WebAssembly.Module(bytes)
 *   instance  Engine.fromModule(module): instantiate + engine setup
 *   policy_parse  parsePolicyYaml(yaml): YAML parse, strict schema, normalize
 *   policy_load   new Gate(engine, policy): policy digest, compile, copy into WASM memory
 *   first     the first gate.evaluate(object) (lazy/baseline-compiled code paths)
 * "instantiate + policy load" = read + compile + instance + policy_parse + policy_load
 * (the target, ≤ 5 ms).
 * The same for cedar-wasm: require (which compiles and instantiates its 4 MB module
 * synchronously) + preparsePolicySet + first statefulIsAuthorized.
 *
 * Edge cold start as a user meets it (issue 13), each from the published bundles:
 *   compiled   import dist/bundle/compiled-node.js (gait-wasm/compiled, decide-only), initSync()
 *              (read + compile + instantiate core.wasm), createGate(the typical policy's .gaitc
 *              bytes), the first gate.check(object); `total` = the four (goal ≤ 5 ms), and
 *              `since_process_start` = performance.now() at the end (Node's own start-up included)
 *   yaml       the same with dist/bundle/node.js and createGate(YAML text): today's path
 *
 *   node bench/instantiate.mjs [samples]      prints the summary as JSON
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './harness.mjs';

const SELF = fileURLToPath(import.meta.url);

function sample(kind) {
  const child = spawnSync(process.execPath, [SELF, '--child', kind], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`instantiate ${kind} failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

function summarise(samples) {
  const out = {};
  for (const k of Object.keys(samples[0])) {
    const v = samples.map((s) => s[k]).sort((a, b) => a - b);
    out[k] = { median_ms: percentile(v, 50), min_ms: v[0], max_ms: v[v.length - 1] };
  }
  return out;
}

export async function runInstantiate({ samples = 10 } = {}) {
  process.env.GAIT_BENCH_RUN ??= String(process.pid); // the children read the parent's file
  await writeCompiledFixture();
  const runs = { gait: [], cedar: [], compiled: [], yaml: [] };
  for (let i = 0; i < samples; i++) for (const kind of Object.keys(runs)) runs[kind].push(sample(kind));
  const out = { samples };
  for (const [kind, list] of Object.entries(runs)) out[kind] = summarise(list);
  return out;
}

/** The typical policy compiled (by the built library, unsigned), where the children read it. */
export const COMPILED_FIXTURE = join(tmpdir(), `gait-bench-typical-${process.env.GAIT_BENCH_RUN ?? process.pid}.policy.gaitc`);

export async function writeCompiledFixture() {
  const { compilePolicy } = await import('../dist/compiled/compile.js');
  writeFileSync(COMPILED_FIXTURE, compilePolicy(readFileSync(new URL('./fixtures/typical.policy.yaml', import.meta.url), 'utf8')));
}

/** Import, init, load, first decision from one published bundle (see the header). */
async function childBundle(kind) {
  const policy = kind === 'compiled' ? readFileSync(COMPILED_FIXTURE) : readFileSync(new URL('./fixtures/typical.policy.yaml', import.meta.url), 'utf8');
  const object = JSON.parse(readFileSync(new URL('./fixtures/typical.intent.json', import.meta.url), 'utf8'));
  const t = [performance.now()];
  const gait = await import(kind === 'compiled' ? '../dist/bundle/compiled-node.js' : '../dist/bundle/node.js');
  t.push(performance.now());
  gait.initSync();
  t.push(performance.now());
  const gate = gait.createGate(policy);
  t.push(performance.now());
  if (gate.check(object).verdict !== 'allow') throw new Error(`${kind}: wrong verdict`);
  t.push(performance.now());
  const [imp, init, load, first] = t.slice(1).map((x, i) => x - t[i]);
  return { import: imp, init, policy_load: load, first_decision: first, total: imp + init + load + first, since_process_start: t[4] };
}

async function childGait() {
  const t = [performance.now()];
  const { Engine } = await import('../dist/core/engine.js');
  const { Gate } = await import('../dist/gate.js');
  const { parsePolicyYaml } = await import('../dist/policy/parse.js');
  t.push(performance.now());
  const bytes = readFileSync(new URL('../dist/core.wasm', import.meta.url));
  t.push(performance.now());
  const module = new WebAssembly.Module(bytes);
  t.push(performance.now());
  const engine = Engine.fromModule(module);
  t.push(performance.now());
  const yaml = readFileSync(new URL('./fixtures/typical.policy.yaml', import.meta.url), 'utf8');
  const policy = parsePolicyYaml(yaml);
  t.push(performance.now());
  const gate = new Gate(engine, policy);
  t.push(performance.now());
  const object = JSON.parse(readFileSync(new URL('./fixtures/typical.intent.json', import.meta.url), 'utf8'));
  if (gate.evaluate(object).result.verdict !== 'allow') throw new Error('typical: wrong verdict');
  t.push(performance.now());
  const [imp, read, compile, instance, parse, load, first] = t.slice(1).map((x, i) => x - t[i]);
  return {
    import: imp, read, compile, instance, policy_parse: parse, policy_load: load, first_eval: first,
    instantiate_and_policy: read + compile + instance + parse + load,
  };
}

async function childCedar() {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const { typicalRequest } = await import('./cedar.mjs');
  const text = readFileSync(new URL('./fixtures/typical.cedar', import.meta.url), 'utf8');
  const t = [performance.now()];
  const cedar = require('@cedar-policy/cedar-wasm/nodejs');
  t.push(performance.now());
  const parts = cedar.policySetTextToParts(text);
  const staticPolicies = Object.fromEntries(parts.policies.map((p) => [/@id\("([^"]+)"\)/.exec(p)[1], p]));
  if (cedar.preparsePolicySet('gait-typical', { staticPolicies }).type !== 'success') throw new Error('cedar parse');
  t.push(performance.now());
  const answer = cedar.statefulIsAuthorized(typicalRequest());
  if (answer.response?.decision !== 'allow') throw new Error('cedar: wrong decision');
  t.push(performance.now());
  const [load, policy, first] = t.slice(1).map((x, i) => x - t[i]);
  return { load_module: load, policy, first_eval: first, instantiate_and_policy: load + policy };
}

if (process.argv.includes('--child')) {
  const kind = process.argv[process.argv.indexOf('--child') + 1];
  const result = kind === 'cedar' ? await childCedar() : kind === 'gait' ? await childGait() : await childBundle(kind);
  process.stdout.write(JSON.stringify(result));
} else if (process.argv[1] === SELF) {
  process.stdout.write(JSON.stringify(await runInstantiate({ samples: Number(process.argv[2] ?? 10) }), null, 2) + '\n');
}
