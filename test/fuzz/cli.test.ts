// Property-based tests of the CLI (property 4 of the security review): a bad policy or intent file
// (truncated/garbled JSON and YAML, wrong types, huge values, invalid UTF-8) gives exit 6, never 0
// and never a crash; with --json, stdout is one line: the error envelope. Most cases run the CLI
// in-process (runCli, milliseconds); a few dozen spawn bin/gait.js as a user would.
// "Bad" is decided by the library (parsePolicyBytes, decodeIntentBytes + normalizeIntent).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GaitError, instantiateSync, createGate, decisionPayload } from '../../bindings/index.js';
import { parsePolicyBytes } from '../../bindings/policy/parse.js';
import { decodeIntentBytes } from '../../bindings/intent/decode.js';
import { normalizeIntent } from '../../bindings/intent/normalize.js';
import { gait, gaitProcess, type CliRun } from '../cli/run.js';
import { FIXTURES, ROOT, anyPolicyTextArb, baseIntentArb, bytesOf, intentTextArb, mutatedJson, policyObjectArb, policyTextArb } from './arbitraries.js';
import { property, summary } from './settings.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gait-fuzz-cli-'));
let fileNo = 0;
function file(ext: string, content: Uint8Array | string): string {
  const p = path.join(dir, `case-${fileNo++}.${ext}`);
  writeFileSync(p, content);
  return p;
}
const GOOD_POLICY = FIXTURES + 'policy-test/allow.yaml';
const GOOD_INTENT = FIXTURES + 'policy-test/intent.json';

const isBad = (run: () => unknown): boolean => {
  try {
    run();
    return false;
  } catch (err) {
    if (err instanceof GaitError) return true;
    throw err;
  }
};
const badPolicy = (b: Uint8Array) => isBad(() => parsePolicyBytes(b));
const badIntent = (b: Uint8Array) => isBad(() => normalizeIntent(decodeIntentBytes(b)));

/** Huge values: numbers out of range, long strings, long lists, deep nesting, a big file. */
const hugePolicyArb = fc.constantFrom(
  'default_verdict: allow\nrules:\n  - {name: r, effect: allow, priority: 1e400}\n',
  'default_verdict: allow\nrules:\n  - {name: r, effect: allow, priority: 99999999999999999999999}\n',
  'default_verdict: allow\nrules:\n  - {name: r, effect: allow, min_approvals: -1}\n',
  'default_verdict: allow\nscripts: {max_steps: -5}\n',
  'default_verdict: allow\nrules:\n  - {name: r, effect: allow, rate_limit: {requests: 1, window: ' + 'x'.repeat(100000) + '}}\n',
  'default_verdict: ' + 'a'.repeat(200000) + '\n',
  'rules:\n' + '  - {name: r, effect: nope}\n'.repeat(5000),
  'rules: ' + '['.repeat(100) + ']'.repeat(100) + '\n',
  '# pad\n'.repeat(800000) + 'default_verdict: allow\n',
).map((t) => new TextEncoder().encode(t));
const hugeIntentArb = fc.constantFrom(
  '{"tool_name":"t","context":{"identity":"a","workspace":"/w","risk_class":"low"},"args":' + '['.repeat(100) + ']'.repeat(100) + '}',
  '{"tool_name":"' + 'x'.repeat(1100000) + '"}',
  '{"tool_name":"t","created_at":"99999-01-01T00:00:00Z","context":{"identity":"a","workspace":"/w","risk_class":"low"}}',
  '{"tool_name":"t","targets":' + JSON.stringify(Array.from({ length: 3000 }, () => ({ kind: 'disk', value: 'x' }))) + ',"context":{"identity":"a","workspace":"/w","risk_class":"low"}}',
  '{"tool_name":"t","args":{"n":1e400},"context":{"identity":"a","workspace":"/w","risk_class":"low"}}',
  '\ufeff{"tool_name":"t","context":{"identity":"a","workspace":"/w","risk_class":"low"}}',
).map((t) => new TextEncoder().encode(t));

export const badPolicyBytesArb = fc.oneof(
  { weight: 6, arbitrary: bytesOf(anyPolicyTextArb) },
  { weight: 2, arbitrary: mutatedJson(policyObjectArb).map((p) => new TextEncoder().encode(JSON.stringify(p) ?? '')) },
  { weight: 1, arbitrary: hugePolicyArb },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
).filter(badPolicy);

export const badIntentBytesArb = fc.oneof(
  { weight: 6, arbitrary: bytesOf(intentTextArb) },
  { weight: 1, arbitrary: hugeIntentArb },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
).filter(badIntent);

/** Exit 6; with --json one line that is the error envelope; never a stack trace. */
function expectInvalidInput(r: CliRun, json: boolean, what: string): void {
  const where = `${what}\nexit ${r.exit}\nstdout: ${r.stdout.slice(0, 500)}\nstderr: ${r.stderr.slice(0, 500)}`;
  expect(r.exit, where).toBe(6);
  expect(r.stderr + r.stdout, where).not.toMatch(/\n\s+at [^\n]*(\(|:\d+:\d+)/);
  if (json) {
    expect(r.stdout.endsWith('\n') && r.stdout.indexOf('\n') === r.stdout.length - 1, `one line: ${where}`).toBe(true);
    const envelope = JSON.parse(r.stdout);
    expect(envelope.ok, where).toBe(false);
    expect(typeof envelope.error === 'string' && envelope.error.length > 0, where).toBe(true);
    expect(envelope.error_code, where).toBe('invalid_input');
    expect(envelope.error_category, where).toBe('invalid_input');
  } else {
    expect(r.stdout, where).toMatch(/error: /);
  }
}

const policyCommands = (p: string) => [
  ['policy', 'validate', p],
  ['policy', 'test', p, GOOD_INTENT],
  ['gate', 'eval', '--policy', p, '--intent', GOOD_INTENT],
];
const intentCommands = (i: string) => [
  ['policy', 'test', GOOD_POLICY, i],
  ['gate', 'eval', '--policy', GOOD_POLICY, '--intent', i],
];
const withJson = (args: string[], json: boolean) => (json ? [...args, '--json'] : args);

afterAll(() => {
  console.log(`[fuzz] cli: ${summary()}`);
  rmSync(dir, { recursive: true, force: true });
});

describe('fuzz: bad files give exit 6 from the CLI, never 0 and never a crash (property 4)', () => {
  it('cli bad policy: bad policy files: policy validate, policy test, gate eval (in-process)', async () => {
    await property('cli bad policy', 'cli', 40, fc.asyncProperty(badPolicyBytesArb, fc.boolean(), async (bytes, json) => {
      const p = file('yaml', bytes);
      for (const args of policyCommands(p)) expectInvalidInput(await gait(withJson(args, json), { cwd: dir }), json, args.join(' '));
    }));
  });

  it('cli bad intent: bad intent files: policy test, gate eval (in-process)', async () => {
    await property('cli bad intent', 'cli', 40, fc.asyncProperty(badIntentBytesArb, fc.boolean(), async (bytes, json) => {
      const i = file('json', bytes);
      for (const args of intentCommands(i)) expectInvalidInput(await gait(withJson(args, json), { cwd: dir }), json, args.join(' '));
    }));
  });

  it('cli bad policy (spawn): bad policy files through bin/gait.js (real processes)', async () => {
    await property('cli bad policy (spawn)', 'spawn', 6, fc.asyncProperty(badPolicyBytesArb, async (bytes) => {
      const p = file('yaml', bytes);
      for (const args of policyCommands(p)) expectInvalidInput(gaitProcess(withJson(args, true), { cwd: dir }), true, args.join(' '));
    }));
  });

  it('cli bad intent (spawn): bad intent files through bin/gait.js (real processes)', async () => {
    await property('cli bad intent (spawn)', 'spawn', 5, fc.asyncProperty(badIntentBytesArb, async (bytes) => {
      const i = file('json', bytes);
      for (const args of intentCommands(i)) expectInvalidInput(gaitProcess(withJson(args, true), { cwd: dir }), true, args.join(' '));
    }));
  });
});

describe('fuzz: the CLI agrees with the library on good files', () => {
  const engine = instantiateSync(readFileSync(path.join(ROOT, 'dist/core.wasm')));
  it('cli gate eval agrees: gate eval --json prints what gate.check() returns (without trace fields), exit code included', async () => {
    const intentArb = baseIntentArb.map((i) => JSON.stringify(i)).filter((t) => !badIntent(new TextEncoder().encode(t)));
    await property('cli gate eval agrees', 'cli', 30, fc.asyncProperty(policyTextArb.filter((t) => !badPolicy(new TextEncoder().encode(t))), intentArb, async (policy, intent) => {
      // The CLI enforces rate limits (fresh state file per case); the library does with `counters`.
      const gate = createGate(engine, policy);
      const fromLibrary = JSON.parse(JSON.stringify(decisionPayload(gate.decide(intent, { counters: new Map() }))));
      const cwd = mkdtempSync(path.join(dir, 'eval-')); // fresh rate-limit state each case
      const r = await gait(['gate', 'eval', '--policy', file('yaml', policy), '--intent', file('json', intent), '--json'], { cwd });
      // Fields about the run (ids, written files, dev-key warning), not the decision (as in test/api/api.test.ts).
      const cli = Object.fromEntries(Object.entries(r.json).filter(([k]) => !['correlation_id', 'trace_id', 'warnings'].includes(k) && !k.endsWith('_path')));
      expect(cli, r.stdout + r.stderr).toEqual(fromLibrary);
      expect(r.exit).toBe(fromLibrary.exit_code ?? (fromLibrary.verdict === 'block' ? 3 : fromLibrary.verdict === 'require_approval' ? 4 : 0));
    }));
  });

  it('cli policy test agrees: policy test exits 3 for block, 4 for require_approval, 0 otherwise, as gate.evaluate decides', async () => {
    const intentArb = baseIntentArb.map((i) => JSON.stringify(i)).filter((t) => !badIntent(new TextEncoder().encode(t)));
    await property('cli policy test agrees', 'cli', 30, fc.asyncProperty(policyTextArb.filter((t) => !badPolicy(new TextEncoder().encode(t))), intentArb, async (policy, intent) => {
      const verdict = createGate(engine, policy).evaluate(intent).result.verdict;
      const r = await gait(['policy', 'test', file('yaml', policy), file('json', intent), '--json'], { cwd: dir });
      expect(r.exit, r.stdout + r.stderr).toBe(verdict === 'block' ? 3 : verdict === 'require_approval' ? 4 : 0);
      expect(r.json.verdict).toBe(verdict);
    }));
  });
});

