/**
 * CPU profile of one case (default: the typical intent from a parsed object, decision only,
 * `gate.evaluate(obj).result.verdict`).
 *
 *   node bench/profile.mjs [caseId] [seconds]     (after `npm run build`)
 *   node bench/profile.mjs --cli                  one whole `gait gate eval` process instead
 *   node bench/profile.mjs rules1000/core 3 --wasm /tmp/core.named.wasm
 *       the same with another build of the core, e.g. one with a name section so the WASM
 *       functions show by name: npx asc assembly/index.ts --config asconfig.json --target release
 *       --debug -o /tmp/core.named.wasm   (writes nothing in the repo)
 *
 * Re-runs itself under `node --cpu-prof`, evaluating the case in a loop, then summarises the
 * profile: top functions by self time, by inclusive time, and self time per source file. Writes
 * the summary to bench/profile.md (default case), bench/profile-<case>.md or bench/profile-cli.md,
 * and leaves the raw .cpuprofile in a temp dir (path printed) for Chrome DevTools or speedscope.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarise } from './profile-summary.mjs';

const argv = process.argv.slice(2);
const wasmAt = argv.indexOf('--wasm');
const wasmFile = wasmAt >= 0 ? argv[wasmAt + 1] : undefined;
const [caseId = 'typical/object:decision', seconds = '4'] = argv.filter((a, i) => !a.startsWith('--') && !(wasmAt >= 0 && i === wasmAt + 1));

if (process.argv.includes('--child')) {
  const { buildCases } = await import('./cases.mjs');
  let engine;
  if (wasmFile) {
    const { Engine } = await import('../dist/core/engine.js');
    engine = Engine.fromModule(new WebAssembly.Module(readFileSync(wasmFile)));
  }
  const { cases } = await buildCases({ engine, withCedar: false, withCrypto: false });
  const c = cases.find((x) => x.id === caseId);
  if (!c) throw new Error(`no case ${caseId}; cases: ${cases.map((x) => x.id).join(', ')}`);
  for (let i = 0; i < 2000; i++) c.fn(); // warm-up, outside the window
  // The profile's timestamps are CLOCK_MONOTONIC µs, like process.hrtime: the window is exact.
  const windowStart = Number(process.hrtime.bigint() / 1000n);
  const end = performance.now() + Number(seconds) * 1000;
  let acc = 0;
  let calls = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) acc += c.fn();
    calls += 100;
  }
  const windowEnd = Number(process.hrtime.bigint() / 1000n);
  process.stdout.write(JSON.stringify({ calls, acc, windowStart, windowEnd }) + '\n');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'gait-bench-prof-'));
if (process.argv.includes('--cli')) {
  // The whole CLI process, start-up included: every sample counts.
  const rel = (r) => fileURLToPath(new URL(r, import.meta.url));
  const cli = spawnSync(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', rel('../bin/gait.js'), 'gate', 'eval', '--policy', rel('./fixtures/typical.policy.yaml'), '--intent', rel('./fixtures/typical.intent.json'), '--json'],
    { encoding: 'utf8', cwd: dir },
  );
  if (cli.status !== 0) {
    process.stderr.write(cli.stderr);
    process.exit(1);
  }
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')));
  // Phases, by the outermost matching frame of each sample's stack (first rule that matches wins).
  const phases = [
    ['module loading (resolve, read, compile, evaluate module bodies)', (fs) => fs.some((f) => /node:internal\/modules\//.test(f.url)) && !fs.some((f) => f.functionName === 'runCli' || f.functionName === 'gateEval')],
    ['gate eval: policy file load + YAML parse', (fs) => fs.some((f) => f.functionName === 'loadPolicyFile')],
    ['gate eval: everything else (intent, evaluation, keys, trace, output)', (fs) => fs.some((f) => f.functionName === 'gateEval')],
    ['CLI outside gate eval', (fs) => fs.some((f) => f.functionName === 'runCli')],
    ['garbage collector', (fs) => fs[0]?.functionName === '(garbage collector)'],
    ['Node bootstrap, idle and the rest', () => true],
  ];
  const summary = summarise(JSON.parse(readFileSync(file, 'utf8')), 1, -Infinity, Infinity, 'ms', phases);
  const md = [
    '# CPU profile: one `gait gate eval` process',
    '',
    '`node --cpu-prof --cpu-prof-interval=100 bin/gait.js gate eval --policy bench/fixtures/typical.policy.yaml --intent bench/fixtures/typical.intent.json --json`',
    '(cwd: a temp dir), every sample from start to exit (Node\'s own bootstrap included).',
    '',
    ...summary,
  ].join('\n');
  writeFileSync(new URL('./profile-cli.md', import.meta.url), md + '\n');
  process.stdout.write(md + `\n\nraw profile: ${file}\n`);
  process.exit(0);
}
const child = spawnSync(
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', fileURLToPath(import.meta.url), '--child', caseId, seconds, ...(wasmFile ? ['--wasm', wasmFile] : [])],
  { encoding: 'utf8' },
);
if (child.status !== 0) {
  process.stderr.write(child.stderr);
  process.exit(1);
}
const { calls, windowStart, windowEnd } = JSON.parse(child.stdout.trim().split('\n').pop());
const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')));
const summary = summarise(JSON.parse(readFileSync(file, 'utf8')), calls, windowStart, windowEnd);
const md = [
  `# CPU profile: \`${caseId}\``,
  '',
  `\`node --cpu-prof --cpu-prof-interval=100\` over ${seconds} s of \`${caseId}\` in a loop (${calls.toLocaleString('en-US')} calls),`,
  'after setup and 2,000 warm-up calls. Only samples taken inside the timed loop count (GC included);',
  '"µs/call" divides a function\'s sampled time by the number of calls. Paths are relative to dist/ or node_modules/.',
  '',
  ...summary,
].join('\n');
// bench/profile.md for the default case, bench/profile-<case>.md for others (none with --wasm).
if (!wasmFile) {
  const name = caseId === 'typical/object:decision' ? 'profile.md' : `profile-${caseId.replace(/[^A-Za-z0-9]+/g, '-')}.md`;
  writeFileSync(new URL(`./${name}`, import.meta.url), md + '\n');
}
process.stdout.write(md + `\n\nraw profile: ${file}\n`);
