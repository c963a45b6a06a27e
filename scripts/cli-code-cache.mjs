/**
 * Build step (after rollup): a V8 code cache for the CLI script, dist/bundle/cli-script.js.cache.
 * Runs the script the way bin/gait.js does, warms it up with the commands a CLI call typically
 * runs (so the functions they compile lazily are in the cache too), then writes
 * script.createCachedData(). The cache is only valid for this Node/V8 version and flags; V8
 * rejects it otherwise and bin/gait.js compiles from source.
 *
 *   node scripts/cli-code-cache.mjs
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// The benchmark's "typical" policy and intent (bench/fixtures), inlined: the package may be built
// without bench/.
const POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: require_approval
fail_closed:
  enabled: true
  risk_classes: [high, critical]
  required_fields: [targets, arg_provenance]
rules:
  - name: allow-safe-write
    priority: 10
    effect: allow
    match:
      tool_names: [tool.write]
      target_kinds: [path]
      workspace_prefixes: [/tmp]
      provenance_sources: [user]
    reason_codes: [safe_write]
  - name: block-external-host
    priority: 20
    effect: block
    match:
      tool_names: [tool.write]
      target_kinds: [host]
    reason_codes: [blocked_external]
    violations: [external_egress]
`;
const INTENT = {
  schema_id: 'gait.gate.intent_request',
  schema_version: '1.0.0',
  created_at: '2026-02-06T00:00:00Z',
  producer_version: '0.0.0-build',
  tool_name: 'tool.write',
  args: { path: '/tmp/out.txt', content: 'hello' },
  targets: [{ kind: 'path', value: '/tmp/out.txt' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'build-user', workspace: '/tmp/workspace', risk_class: 'high' },
};

const cwd = mkdtempSync(join(tmpdir(), 'gait-code-cache-'));
try {
  writeFileSync(join(cwd, 'policy.yaml'), POLICY);
  writeFileSync(join(cwd, 'intent.json'), JSON.stringify(INTENT));
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
  rmSync(cwd, { recursive: true, force: true });
}

writeFileSync(`${file}.cache`, script.createCachedData());
