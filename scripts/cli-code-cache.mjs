/**
 * Build step (after rollup): a V8 code cache for the CLI script, dist/bundle/cli-script.js.cache.
 * Runs the script the way bin/gait.js does, warms it up with the commands a CLI call typically
 * runs (so the functions they compile lazily are in the cache too), then writes
 * script.createCachedData(). The cache is only valid for this Node/V8 version and flags; V8
 * rejects it otherwise and bin/gait.js compiles from source.
 *
 * The warm-up runs in a temporary directory (the CLI's relative outputs, such as the default
 * trace_<id>.json, land there and are removed): the build writes nothing outside dist/. The cache
 * is written atomically (temporary file + rename), so a CLI starting meanwhile never reads half.
 *
 *   node scripts/cli-code-cache.mjs [--out <file>]   (default dist/bundle/cli-script.js.cache)
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const file = fileURLToPath(new URL('../dist/bundle/cli-script.js', import.meta.url));
const source = readFileSync(file, 'utf8');
const script = new Script(source, { filename: file });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
const { runCli } = module.exports;

// A policy and an intent it allows from the examples the package ships (examples/gait/).
const EXAMPLES = fileURLToPath(new URL('../examples/gait/policy/', import.meta.url));
const POLICY = readFileSync(join(EXAMPLES, 'base_high_risk.yaml'), 'utf8');
const INTENT = readFileSync(join(EXAMPLES, 'intents/intent_read.json'), 'utf8');

const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 && process.argv[outIndex + 1] ? process.argv[outIndex + 1] : `${file}.cache`;

const cwd = mkdtempSync(join(tmpdir(), 'gait-code-cache-'));
const previousCwd = process.cwd();
process.chdir(cwd);
try {
  writeFileSync(join(cwd, 'policy.yaml'), POLICY);
  writeFileSync(join(cwd, 'intent.json'), INTENT);
  const io = { stdout: () => {}, stderr: () => {}, cwd, env: {} };
  const runs = [
    ['gate', 'eval', '--policy', join(cwd, 'policy.yaml'), '--intent', join(cwd, 'intent.json'), '--json'],
    ['gate', 'eval', '--policy', join(cwd, 'policy.yaml'), '--intent', join(cwd, 'intent.json')],
    ['policy', 'validate', join(cwd, 'policy.yaml'), '--json'],
  ];
  for (const argv of runs) {
    const code = await runCli(argv, io);
    if (code !== 0) throw new Error(`code cache warm-up: gait ${argv.slice(0, 2).join(' ')} exited ${code}`);
  }
} finally {
  process.chdir(previousCwd);
  rmSync(cwd, { recursive: true, force: true });
}

const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, script.createCachedData());
renameSync(tmp, out);
