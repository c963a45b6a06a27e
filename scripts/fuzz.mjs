#!/usr/bin/env node
// Long property-based runs of test/fuzz (library, ToolAdapter, CLI) with a random seed by default.
//
//   npm run fuzz                                   10,000 cases per library property, random seed
//   npm run fuzz -- --runs 100000                  more cases (or FUZZ_RUNS=100000 npm run fuzz)
//   npm run fuzz -- --seed 42                      a chosen seed
//   npm run fuzz -- --runs 10000 --seed 42 --path "17:3:0" --only "adapter re-judge hostile:"
//                                                  replay one failure: the line its report ends with
//                                                  (same --runs: the policy pool depends on it)
//   npm run fuzz -- --cli-runs 500 --spawn-runs 20 in-process / real-process CLI cases per property
//   npm run fuzz -- --files library,adapter        only some of library, adapter, cli
//
// Prints the seed first and the number of cases, time and verdict distribution per property;
// exits non-zero when a property fails (its report has the replay command).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) {
    console.error(`fuzz: --${name} needs a value`);
    process.exit(2);
  }
  return v;
};
const known = new Set(['runs', 'seed', 'path', 'only', 'cli-runs', 'spawn-runs', 'files']);
for (let i = 0; i < args.length; i += 2) {
  if (!args[i].startsWith('--') || !known.has(args[i].slice(2))) {
    console.error(`fuzz: unknown argument ${args[i]} (known: ${[...known].map((k) => '--' + k).join(', ')})`);
    process.exit(2);
  }
}
const int = (name, v) => {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) {
    console.error(`fuzz: ${name} must be an integer, got ${v}`);
    process.exit(2);
  }
  return v;
};

const runs = int('--runs', flag('runs') ?? process.env.FUZZ_RUNS) ?? '10000';
const seed = int('--seed', flag('seed') ?? process.env.FUZZ_SEED) ?? String(randomInt(-(2 ** 31), 2 ** 31 - 1));
const path = flag('path') ?? process.env.FUZZ_PATH;
const only = flag('only');
const cliRuns = int('--cli-runs', flag('cli-runs') ?? process.env.FUZZ_CLI_RUNS);
const spawnRuns = int('--spawn-runs', flag('spawn-runs') ?? process.env.FUZZ_SPAWN_RUNS) ?? '20';
const files = (flag('files') ?? 'library,adapter,cli').split(',').map((f) => `test/fuzz/${f.trim()}.test.ts`);

if (!existsSync(ROOT + 'dist/core.wasm')) {
  console.log('fuzz: dist/core.wasm is missing, building first (npm run build)');
  const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

console.log(`fuzz: seed ${seed}${path ? ` path ${path}` : ''}, ${runs} cases per library property, ` +
  `${cliRuns ?? `max(short, ${runs}/200)`} per in-process CLI property, ${spawnRuns} per real-process CLI property` +
  `${only ? `, only "${only}"` : ''}; files ${files.join(' ')}`);
const t0 = Date.now();
// vitest's -t is a regular expression: --only is a plain substring of the test name.
const escapeRegex = (t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const vitestArgs = ['vitest', 'run', ...files, '--testTimeout=0', '--hookTimeout=0', '--no-file-parallelism', ...(only ? ['-t', escapeRegex(only)] : [])];
const r = spawnSync('npx', vitestArgs, {
  cwd: ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    FUZZ_RUNS: runs,
    FUZZ_SEED: seed,
    FUZZ_SPAWN_RUNS: spawnRuns,
    ...(cliRuns ? { FUZZ_CLI_RUNS: cliRuns } : {}),
    ...(path ? { FUZZ_PATH: path } : {}),
  },
});
const seconds = ((Date.now() - t0) / 1000).toFixed(1);
const code = r.status ?? 1;
console.log(`fuzz: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s, seed ${seed}` +
  (code === 0 ? '' : '; each failure above ends with the command that replays it'));
process.exit(code);
