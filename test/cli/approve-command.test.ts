// `gait approve` (signed_artifacts.md §3.4, §7; cli.md §0, §12.3 TestCLIApproveAndGateRequireApprovalFlow).
import { mkdtempSync, writeFileSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';
import {
  mintApprovalToken, parseApprovalToken, serializeApprovalToken, validateApprovalToken,
} from '../../bindings/tokens/index.js';
import { DEV_MODE_WARNING, parsePrivateKey, parsePublicKey } from '../../bindings/crypto/keys.js';
import { VERSION } from '../../bindings/version.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gait-approve-'));
const write = (dir: string, name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};
const APPROVAL_PUBLIC = FIXTURES + 'scenarios/keys/approval_public.key';
const APPROVAL_PRIVATE = FIXTURES + 'scenarios/keys/approval_private.key';
const FIXTURE_TOKEN = FIXTURES + 'signed/approval_token_valid.json';
const ID = 'a'.repeat(64);
const PD = 'b'.repeat(64);

/** `gait keys init` in `dir`; returns the key paths and key id. */
async function initKeys(dir: string, prefix = 'ak') {
  const r = await gait(['keys', 'init', '--out-dir', 'keys', '--prefix', prefix, '--json'], { cwd: dir });
  expect(r.exit, r.stdout + r.stderr).toBe(0);
  return {
    priv: path.join(dir, r.json.private_key_path as string),
    pub: path.join(dir, r.json.public_key_path as string),
    keyId: r.json.key_id as string,
  };
}

const base = (extra: string[] = []) => [
  'approve', '--intent-digest', ID, '--policy-digest', PD, '--ttl', '1h', '--scope', 'tool:tool.write',
  '--approver', 'alice', '--reason-code', 'change_ticket', ...extra,
];

function expectInvalid(r: { exit: number; json: Record<string, any> }, error: string) {
  expect(r.exit, JSON.stringify(r.json)).toBe(6);
  expect(r.json).toMatchObject({
    ok: false, error, error_code: 'invalid_input', error_category: 'invalid_input',
    hint: 'check command usage and input schema', retryable: false,
  });
  expect(r.json.correlation_id).toMatch(/^[0-9a-f]{24}$/);
}

describe('gait approve', () => {
  it('--help and -h print usage and exit 0 (plain text even with --json); --explain prints one sentence', async () => {
    for (const args of [['approve', '--help'], ['approve', '-h'], ['approve', '--help', '--json']]) {
      const r = await gait(args);
      expect(r.exit).toBe(0);
      expect(r.stdout).toMatch(/^Usage:/);
      expect(r.stdout).toContain('--intent-digest');
    }
    const e = await gait(['approve', '--ttl', 'bogus', '--explain', '--json']);
    expect(e.exit).toBe(0);
    expect(e.stdout).toBe('Mint a signed approval token with scope and TTL for gate decisions that require explicit approval.\n');
  });

  it('mints a prod token with `gait keys init` keys: fields, file, signature', async () => {
    const dir = tempDir();
    const keys = await initKeys(dir);
    const before = Date.now();
    const r = await gait(base([
      '--scope', ' Tool:Tool.Write, ,destructive:apply,tool:tool.write', '--intent-digest', ID.toUpperCase(),
      '--max-targets', '3', '--max-ops', '0x2', '--key-mode', 'PROD', '--private-key', keys.priv, '--json',
    ]), { cwd: dir });
    expect(r.exit, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const id = r.json.token_id as string;
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(r.json).toMatchObject({
      ok: true, token_id: id, token_path: `approval_${id}.json`, reason_code: 'change_ticket',
      scope: ['destructive:apply', 'tool:tool.write'], max_targets: 3, max_ops: 2, key_id: keys.keyId,
      description: 'signed approval token created',
    });
    expect(r.json.warnings).toBeUndefined();
    expect(r.json.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/); // RFC3339, no fraction
    // keys are printed sorted
    expect(Object.keys(r.json)).toEqual([...Object.keys(r.json)].sort());

    const file = path.join(dir, r.json.token_path as string);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "schema_id": "gait.gate.approval_token",\n')).toBe(true);
    const token = parseApprovalToken(text);
    expect(serializeApprovalToken(token)).toBe(text);
    expect(token).toMatchObject({
      schema_version: '1.0.0', producer_version: VERSION, token_id: id, approver_identity: 'alice',
      reason_code: 'change_ticket', intent_digest: ID, policy_digest: PD, scope: ['destructive:apply', 'tool:tool.write'],
      max_targets: 3, max_ops: 2,
    });
    expect(token.signature?.key_id).toBe(keys.keyId);
    const created = Date.parse(token.created_at);
    expect(created).toBeGreaterThanOrEqual(before - 1);
    expect(created).toBeLessThanOrEqual(Date.now() + 1);
    expect(Date.parse(token.expires_at) - created).toBe(3_600_000);
    expect(r.json.expires_at).toBe(new Date(Math.floor(Date.parse(token.expires_at) / 1000) * 1000).toISOString().replace('.000Z', 'Z'));

    const pub = parsePublicKey(readFileSync(keys.pub, 'utf8'));
    const ok = await validateApprovalToken(token, { intentDigest: ID, policyDigest: PD, requiredScope: ['tool:tool.write'], targetCount: 3, operationCount: 2 }, pub, new Date());
    expect(ok.ok).toBe(true);
    const other = parsePublicKey(readFileSync(APPROVAL_PUBLIC, 'utf8'));
    const bad = await validateApprovalToken(token, {}, other, new Date());
    expect(bad).toMatchObject({ ok: false, code: 'approval_token_signature_invalid' });
  });

  it('--out (nested dirs created), --private-key-env, text output', async () => {
    const dir = tempDir();
    const keys = await initKeys(dir);
    const r = await gait(base(['--out', 'tokens/a/b/token.json', '--key-mode', 'prod', '--private-key-env', 'APPROVE_KEY']), {
      cwd: dir, env: { APPROVE_KEY: readFileSync(keys.priv, 'utf8') },
    });
    expect(r.exit, r.stderr).toBe(0);
    expect(r.stdout).toBe('approval token created: tokens/a/b/token.json\n');
    expect(r.stderr).toBe('');
    const file = path.join(dir, 'tokens/a/b/token.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'tokens/a')).mode & 0o777).toBe(0o750);
    const token = parseApprovalToken(readFileSync(file, 'utf8'));
    expect(token.max_targets ?? 0).toBe(0);
    expect(token.delegation_binding_digest ?? '').toBe('');
  });

  it('dev mode (the default) signs with a throw-away key and says so in warnings', async () => {
    const dir = tempDir();
    const r = await gait(base(['--delegation-binding-digest', 'C'.repeat(64), '--json']), { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.warnings).toEqual([DEV_MODE_WARNING]);
    expect(r.json.max_targets).toBeUndefined();
    expect(r.json.max_ops).toBeUndefined();
    const token = parseApprovalToken(readFileSync(path.join(dir, r.json.token_path), 'utf8'));
    expect(token.delegation_binding_digest).toBe('c'.repeat(64));
    expect(token.signature?.key_id).toBe(r.json.key_id);
    // Two dev runs use two different keys.
    const again = await gait(base(['--out', 'second.json', '--json']), { cwd: dir });
    expect(again.json.key_id).not.toBe(r.json.key_id);
  });

  it('the fixture approval key signs verifiably; with the fixture\'s fields and clock it reproduces the fixture signature', async () => {
    const dir = tempDir();
    const fixture = JSON.parse(readFileSync(FIXTURE_TOKEN, 'utf8'));
    const r = await gait([
      'approve', '--intent-digest', fixture.intent_digest, '--policy-digest', fixture.policy_digest, '--ttl', '87600h',
      '--scope', 'tool:tool.write', '--approver', 'human.reviewer', '--reason-code', 'MANUAL_APPROVAL',
      '--key-mode', 'prod', '--private-key', APPROVAL_PRIVATE, '--out', 'token.json', '--json',
    ], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.key_id).toBe('8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52');
    const token = parseApprovalToken(readFileSync(path.join(dir, 'token.json'), 'utf8'));
    const pub = parsePublicKey(readFileSync(APPROVAL_PUBLIC, 'utf8'));
    const v = await validateApprovalToken(token, { intentDigest: fixture.intent_digest, policyDigest: fixture.policy_digest, requiredScope: ['tool:tool.write'] }, pub, new Date());
    expect(v.ok).toBe(true);

    // `gait approve` has no flag to fix "now" (Gait has none either), so the byte-exact vector goes
    // through the library the command calls, with the same inputs the command passes.
    const minted = await mintApprovalToken({
      intentDigest: fixture.intent_digest, policyDigest: fixture.policy_digest, ttl: '87600h', scope: ['tool:tool.write'],
      approver: 'human.reviewer', reasonCode: 'MANUAL_APPROVAL', now: '2026-02-24T12:42:58.228785Z',
      privateKey: parsePrivateKey(readFileSync(APPROVAL_PRIVATE, 'utf8')), producerVersion: '0.0.0-dev',
    });
    expect(minted.token_id).toBe('ec44f8948261811d131eb04a');
    expect(minted.signature).toEqual(fixture.signature);
    expect(serializeApprovalToken(minted)).toBe(readFileSync(FIXTURE_TOKEN, 'utf8'));
  });

  it('reports every validation error in §3.4 order (each fixed in turn)', async () => {
    const dir = tempDir();
    const keys = await initKeys(dir);
    const sequence: Array<[string[], string]> = [
      [['approve', '--bogus', '--json'], 'flag provided but not defined: -bogus'],
      [['approve', '--max-targets', 'x', '--json'], 'invalid value "x" for flag -max-targets: parse error'],
      [['approve', '--max-ops', '99999999999999999999', '--json'], 'invalid value "99999999999999999999" for flag -max-ops: value out of range'],
      [['approve', '--json', '--ttl'], 'flag needs an argument: -ttl'],
      [['approve', '--ttl', '--json'], 'invalid --ttl, expected positive duration'], // a string flag takes the next token
      [['approve', '--json', 'extra'], 'unexpected positional arguments'],
      [['approve', '--json'], 'invalid --ttl, expected positive duration'],
      [['approve', '--ttl', '0s', '--json'], 'invalid --ttl, expected positive duration'],
      [['approve', '--ttl', '-1h', '--json'], 'invalid --ttl, expected positive duration'],
      [['approve', '--ttl', '1d', '--json'], 'invalid --ttl, expected positive duration'],
      [['approve', '--ttl', '1h', '--json'], 'scope is required'],
      [['approve', '--ttl', '1h', '--scope', ' , ,', '--json'], 'scope is required'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--private-key', keys.priv, '--json'], 'dev mode does not accept explicit key sources'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--key-mode', 'prod', '--json'], 'prod mode requires a private key source'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--key-mode', 'staging', '--json'], 'unsupported key mode: "staging"'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--key-mode', '', '--json'], 'prod mode requires a private key source'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--key-mode', 'prod', '--private-key', keys.priv, '--private-key-env', 'K', '--json'], 'private key source: set either path or env'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--key-mode', 'prod', '--private-key-env', 'GAIT_TEST_UNSET_KEY', '--json'], 'private key env not set: GAIT_TEST_UNSET_KEY'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--key-mode', 'prod', '--private-key', 'missing.key', '--json'], 'read private key: open missing.key: no such file or directory'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--key-mode', 'prod', '--private-key', keys.pub, '--json'], 'invalid private key length: 32'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--json'], 'intent_digest must be sha256 hex'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--intent-digest', ID.slice(1), '--json'], 'intent_digest must be sha256 hex'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--intent-digest', ID, '--json'], 'policy_digest must be sha256 hex'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--intent-digest', ID, '--policy-digest', PD, '--delegation-binding-digest', 'xyz', '--json'], 'delegation_binding_digest must be sha256 hex when set'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--intent-digest', ID, '--policy-digest', PD, '--json'], 'approver identity is required'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--intent-digest', ID, '--policy-digest', PD, '--approver', '  ', '--json'], 'approver identity is required'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--intent-digest', ID, '--policy-digest', PD, '--approver', 'a', '--json'], 'reason code is required'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--intent-digest', ID, '--policy-digest', PD, '--approver', 'a', '--reason-code', 'r', '--max-targets', '-1', '--max-ops', '-1', '--json'], 'max_targets must be >= 0'],
      [['approve', '--ttl', '1h', '--scope', 'tool:x', '--intent-digest', ID, '--policy-digest', PD, '--approver', 'a', '--reason-code', 'r', '--max-ops', '-1', '--json'], 'max_ops must be >= 0'],
    ];
    for (const [a, error] of sequence) expectInvalid(await gait(a, { cwd: dir }), error);
    // Earlier checks win over later ones on the same line.
    expectInvalid(await gait(['approve', '--bogus', '--help', '--json'], { cwd: dir }), 'flag provided but not defined: -bogus');
    expectInvalid(await gait(['approve', '--scope', '', '--private-key', 'x', '--json', 'extra'], { cwd: dir }), 'unexpected positional arguments');
    expectInvalid(await gait(['approve', '--scope', '', '--private-key', 'x', '--json'], { cwd: dir }), 'invalid --ttl, expected positive duration');
    expectInvalid(await gait(['approve', '--ttl', '1h', '--scope', '', '--private-key', 'x', '--json'], { cwd: dir }), 'scope is required');
    expectInvalid(await gait(['approve', '--ttl', '1h', '--scope', 's', '--private-key', 'x', '--approver', '', '--json'], { cwd: dir }), 'dev mode does not accept explicit key sources');
    // Nothing was written by the failures.
    expect(existsSync(path.join(dir, 'tokens'))).toBe(false);
  });

  it('text-mode errors go to stdout as `approve error: <msg>` with exit 6 (as Gait)', async () => {
    const r = await gait(['approve', '--ttl', 'soon']);
    expect(r.exit).toBe(6);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('approve error: invalid --ttl, expected positive duration\n');
  });

  it('write failures: an --out whose parent is a file', async () => {
    const dir = tempDir();
    write(dir, 'blocker', 'x');
    const r = await gait(base(['--out', 'blocker/token.json', '--json']), { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toMatch(/^create approval token directory: mkdir blocker: not a directory$/);
  });

  it('approve + gate eval: the minted token turns require_approval into allow (TestCLIApproveAndGateRequireApprovalFlow)', async () => {
    const dir = tempDir();
    const keys = await initKeys(dir);
    const policy = write(dir, 'policy.yaml', 'default_verdict: require_approval\nrules:\n  - name: require-approval-write\n    effect: require_approval\n    match:\n      tool_names: [tool.write]\n    reason_codes: [approval_required]\n');
    const intent = write(dir, 'intent.json', {
      tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
      targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }],
      context: { identity: 'alice', workspace: '/repo', risk_class: 'high' },
    });
    const first = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(first.exit).toBe(4);
    expect(first.json.reason_codes).toContain('approval_token_missing');
    const minted = await gait([
      'approve', '--intent-digest', first.json.intent_digest, '--policy-digest', first.json.policy_digest, '--ttl', '1h',
      '--scope', 'tool:tool.write', '--approver', 'alice', '--reason-code', 'change_ticket', '--key-mode', 'prod',
      '--private-key', keys.priv, '--json',
    ], { cwd: dir });
    expect(minted.exit).toBe(0);
    const granted = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approval-token', minted.json.token_path, '--approval-public-key', keys.pub, '--json'], { cwd: dir });
    expect(granted.exit, granted.stdout).toBe(0);
    expect(granted.json.verdict).toBe('allow');
    expect(granted.json.reason_codes).toContain('approval_granted');
    expect(granted.json.approval_ref).toBe(minted.json.token_id);
    // The runbook's `--scope tool.write` does not cover the required `tool:tool.write`.
    const wrongScope = await gait([
      'approve', '--intent-digest', first.json.intent_digest, '--policy-digest', first.json.policy_digest, '--ttl', '1h',
      '--scope', 'tool.write', '--approver', 'alice', '--reason-code', 'x', '--key-mode', 'prod', '--private-key', keys.priv,
      '--out', 'wrong.json', '--json',
    ], { cwd: dir });
    expect(wrongScope.exit).toBe(0);
    const denied = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approval-token', 'wrong.json', '--approval-public-key', keys.pub, '--json'], { cwd: dir });
    expect(denied.exit).toBe(4);
    expect(denied.json.reason_codes).toContain('approval_token_scope_mismatch');
  });
});
