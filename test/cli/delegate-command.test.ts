// `gait delegate mint|verify` (signed_artifacts.md §4.4, §4.6, §7, §8 item 3; cli.md §12.3
// TestCLIDelegateAndGateRequireDelegationFlow).
import { mkdtempSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';
import { parseDelegationToken, serializeDelegationToken } from '../../bindings/tokens/index.js';
import { DEV_MODE_WARNING } from '../../bindings/crypto/keys.js';
import { VERSION } from '../../bindings/version.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gait-delegate-'));
const write = (dir: string, name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};
const DELEGATION_PUBLIC = FIXTURES + 'signed/delegation_public.key';
const APPROVAL_PUBLIC = FIXTURES + 'scenarios/keys/approval_public.key';
const APPROVAL_PRIVATE = FIXTURES + 'scenarios/keys/approval_private.key';
const fixtureToken = (n: number) => FIXTURES + `signed/delegation_token_${n}.json`;
const FIXTURE_KEY_ID = '854baff4855aef78ee7bff54778815baba4f4c8dd693e12ad4429edd118f6590';

async function initKeys(dir: string) {
  const r = await gait(['keys', 'init', '--out-dir', 'keys', '--prefix', 'dk', '--json'], { cwd: dir });
  expect(r.exit).toBe(0);
  return { priv: path.join(dir, r.json.private_key_path), pub: path.join(dir, r.json.public_key_path), keyId: r.json.key_id as string };
}

function expectInvalid(r: { exit: number; json: Record<string, any> }, error: string | RegExp) {
  expect(r.exit, JSON.stringify(r.json)).toBe(6);
  expect(r.json).toMatchObject({ ok: false, error_code: 'invalid_input', error_category: 'invalid_input', retryable: false });
  if (typeof error === 'string') expect(r.json.error).toBe(error);
  else expect(r.json.error).toMatch(error);
}

function expectVerifyFailed(r: { exit: number; json: Record<string, any> }, code: string, error: string) {
  expect(r.exit, JSON.stringify(r.json)).toBe(2);
  expect(r.json).toMatchObject({
    ok: false, error_code: code, error, error_category: 'verification_failed',
    hint: 're-run verify after checking artifact integrity', retryable: false,
  });
  expect(r.json.correlation_id).toMatch(/^[0-9a-f]{24}$/);
  expect(typeof r.json.token_path).toBe('string');
}

describe('gait delegate', () => {
  it('dispatch: no subcommand or an unknown one prints usage with exit 6; --help/-h exit 0; --explain exits 0', async () => {
    for (const args of [['delegate'], ['delegate', 'revoke'], ['delegate', 'revoke', '--json']]) {
      const r = await gait(args);
      expect(r.exit).toBe(6);
      expect(r.stdout).toMatch(/^Usage:/);
    }
    for (const args of [['delegate', '--help'], ['delegate', '-h'], ['delegate', 'mint', '--help'], ['delegate', 'verify', '-h'], ['delegate', 'mint', '--help', '--json']]) {
      const r = await gait(args);
      expect(r.exit, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage:/);
      expect(r.stdout).toContain('gait delegate mint');
      expect(r.stdout).toContain('gait delegate verify');
    }
    const e = await gait(['delegate', 'mint', '--ttl', 'x', '--explain']);
    expect(e.exit).toBe(0);
    expect(e.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('mint (prod, keys init) then verify: round trip, fields, file', async () => {
    const dir = tempDir();
    const keys = await initKeys(dir);
    const m = await gait([
      'delegate', 'mint', '--delegator', 'agent.lead', '--delegate', 'agent.specialist', '--scope', 'Tool:Tool.Write,,tool:tool.write',
      '--scope-class', ' WRITE ', '--ttl', '1h', '--key-mode', 'prod', '--private-key', keys.priv, '--json',
    ], { cwd: dir });
    expect(m.exit, m.stdout).toBe(0);
    const id = m.json.token_id as string;
    expect(m.json).toEqual({
      ok: true, token_id: id, token_path: `delegation_${id}.json`, delegator_identity: 'agent.lead',
      delegate_identity: 'agent.specialist', scope: ['tool:tool.write'], scope_class: 'write',
      expires_at: m.json.expires_at, key_id: keys.keyId, description: 'signed delegation token created',
      correlation_id: m.json.correlation_id,
    });
    expect(m.json.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const file = path.join(dir, m.json.token_path);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const token = parseDelegationToken(text);
    expect(serializeDelegationToken(token)).toBe(text);
    expect(token).toMatchObject({ schema_id: 'gait.gate.delegation_token', producer_version: VERSION, token_id: id });
    expect(token.intent_digest ?? '').toBe('');
    expect(Date.parse(token.expires_at) - Date.parse(token.created_at)).toBe(3_600_000);

    const v = await gait([
      'delegate', 'verify', '--token', m.json.token_path, '--delegator', 'agent.lead', '--delegate', 'agent.specialist',
      '--scope', 'read,write', '--intent-digest', 'a'.repeat(64), '--public-key', keys.pub, '--json',
    ], { cwd: dir });
    expect(v.exit, v.stdout).toBe(0);
    expect(v.json).toEqual({ ...m.json, description: 'delegation token verified', correlation_id: v.json.correlation_id });
    // The private key also serves as a verify key; text output.
    const t = await gait(['delegate', 'verify', '--token', m.json.token_path, '--private-key', keys.priv], { cwd: dir });
    expect(t.exit).toBe(0);
    expect(t.stdout).toBe(`delegation token ok: ${m.json.token_path}\n`);

    // Expectations that do not hold: exit 2 with the token's code and Gait's detail text (measured
    // on the v1.3.6 binary: the detail names no identity or scope).
    const args = ['delegate', 'verify', '--token', m.json.token_path, '--public-key', keys.pub, '--json'];
    expectVerifyFailed(await gait([...args, '--delegator', 'agent.other'], { cwd: dir }), 'delegation_token_delegator_mismatch', 'delegation_token_delegator_mismatch: delegator mismatch');
    expectVerifyFailed(await gait([...args, '--delegate', 'Agent.Specialist'], { cwd: dir }), 'delegation_token_delegate_mismatch', 'delegation_token_delegate_mismatch: delegate mismatch');
    expectVerifyFailed(await gait([...args, '--scope', 'admin'], { cwd: dir }), 'delegation_token_scope_mismatch', 'delegation_token_scope_mismatch: scope mismatch');
    const other = await gait([...args.slice(0, 4), '--public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expectVerifyFailed(other, 'delegation_token_signature_invalid', 'delegation_token_signature_invalid: key id mismatch');
    expect(other.json.token_id).toBe(id);
    // Text-mode failure.
    const tf = await gait([...args.slice(0, 6), '--delegator', 'x'], { cwd: dir });
    expect(tf.exit).toBe(2);
    expect(tf.stdout).toBe('delegate error: delegation_token_delegator_mismatch: delegator mismatch\n');
  });

  it('mint binds digests, writes --out (dirs created), dev mode warns', async () => {
    const dir = tempDir();
    const r = await gait([
      'delegate', 'mint', '--delegator', 'a', '--delegate', 'b', '--scope', 'tool:tool.write', '--ttl', '30m',
      '--intent-digest', 'A'.repeat(64), '--policy-digest', 'b'.repeat(64), '--out', 'out/d/token.json', '--json',
    ], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.warnings).toEqual([DEV_MODE_WARNING]);
    expect(r.json.scope_class).toBeUndefined();
    expect(r.json.token_path).toBe('out/d/token.json');
    const token = parseDelegationToken(readFileSync(path.join(dir, 'out/d/token.json'), 'utf8'));
    expect(token.intent_digest).toBe('a'.repeat(64));
    expect(token.policy_digest).toBe('b'.repeat(64));
    const text = await gait(['delegate', 'mint', '--delegator', 'a', '--delegate', 'b', '--scope', 's', '--ttl', '1m', '--out', 't.json'], { cwd: dir });
    expect(text.exit).toBe(0);
    expect(text.stdout).toBe('delegation token ok: t.json\n');
    // A dev-mode token cannot be verified with the fixture key.
    expectVerifyFailed(await gait(['delegate', 'verify', '--token', 't.json', '--public-key', DELEGATION_PUBLIC, '--json'], { cwd: dir }), 'delegation_token_signature_invalid', 'delegation_token_signature_invalid: key id mismatch');
    // Nor with a key derived from another private key.
    const viaPrivate = await gait(['delegate', 'verify', '--token', 'out/d/token.json', '--private-key', APPROVAL_PRIVATE, '--json'], { cwd: dir });
    expect(viaPrivate.json.error_code).toBe('delegation_token_signature_invalid');
  });

  it('verifies the three fixture delegation tokens with delegation_public.key', async () => {
    const chain = [
      ['694428976ab1b10859171a05', 'agent.lead', 'agent.manager'],
      ['7e37847cf7d9320eb0854cc8', 'agent.manager', 'agent.senior'],
      ['8a715283a36e6b05e9287e12', 'agent.senior', 'agent.worker'],
    ] as const;
    for (const [i, [id, from, to]] of chain.entries()) {
      const r = await gait(['delegate', 'verify', '--token', fixtureToken(i + 1), '--public-key', DELEGATION_PUBLIC, '--delegator', from, '--delegate', to, '--scope', 'write', '--json']);
      expect(r.exit, r.stdout).toBe(0);
      expect(r.json).toMatchObject({
        ok: true, token_id: id, token_path: fixtureToken(i + 1), delegator_identity: from, delegate_identity: to,
        scope: ['tool:tool.write'], scope_class: 'write', expires_at: expect.stringMatching(/^2036-02-16T19:13:04Z$/),
        key_id: FIXTURE_KEY_ID, description: 'delegation token verified',
      });
      const env = await gait(['delegate', 'verify', '--token', fixtureToken(i + 1), '--public-key-env', 'DELEGATION_PUB'], { env: { DELEGATION_PUB: readFileSync(DELEGATION_PUBLIC, 'utf8') } });
      expect(env.exit).toBe(0);
      expect(env.stdout).toBe(`delegation token ok: ${fixtureToken(i + 1)}\n`);
    }
    // Intent/policy expectations are skipped for unbound tokens.
    const unbound = await gait(['delegate', 'verify', '--token', fixtureToken(1), '--public-key', DELEGATION_PUBLIC, '--intent-digest', 'c'.repeat(64), '--policy-digest', 'd'.repeat(64), '--json']);
    expect(unbound.exit).toBe(0);
  });

  it('a tampered, unsigned or expired token fails verification with exit 2', async () => {
    const dir = tempDir();
    const original = JSON.parse(readFileSync(fixtureToken(1), 'utf8'));
    const tampered = write(dir, 'tampered.json', { ...original, delegate_identity: 'agent.intruder' });
    const r = await gait(['delegate', 'verify', '--token', tampered, '--public-key', DELEGATION_PUBLIC, '--json']);
    expectVerifyFailed(r, 'delegation_token_signature_invalid', 'delegation_token_signature_invalid: signed_digest mismatch');
    expect(r.json.token_id).toBe('694428976ab1b10859171a05');
    expect(r.json.token_path).toBe(tampered);

    const forgedSig = { ...original, signature: { ...original.signature, sig: original.signature.sig.replace(/^W/, 'X') } };
    expectVerifyFailed(await gait(['delegate', 'verify', '--token', write(dir, 'sig.json', forgedSig), '--public-key', DELEGATION_PUBLIC, '--json']),
      'delegation_token_signature_invalid', expect.stringMatching(/^delegation_token_signature_invalid: /) as unknown as string);

    const { signature: _drop, ...unsigned } = original;
    expectVerifyFailed(await gait(['delegate', 'verify', '--token', write(dir, 'unsigned.json', unsigned), '--public-key', DELEGATION_PUBLIC, '--json']),
      'delegation_token_signature_missing', 'delegation_token_signature_missing: signature is required');

    const invalid = { ...original, token_id: '  ' };
    expectVerifyFailed(await gait(['delegate', 'verify', '--token', write(dir, 'invalid.json', invalid), '--public-key', DELEGATION_PUBLIC, '--json']),
      'delegation_token_invalid', 'delegation_token_invalid: token_id is required');

    const keys = await initKeys(dir);
    const m = await gait(['delegate', 'mint', '--delegator', 'a', '--delegate', 'b', '--scope', 's', '--ttl', '1ns', '--key-mode', 'prod', '--private-key', keys.priv, '--out', 'short.json', '--json'], { cwd: dir });
    expect(m.exit).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const expired = await gait(['delegate', 'verify', '--token', 'short.json', '--public-key', keys.pub, '--json'], { cwd: dir });
    expectVerifyFailed(expired, 'delegation_token_expired', 'delegation_token_expired: token expired');
    expect(expired.json.token_id).toBe(m.json.token_id);
  });

  it('bad inputs exit 6 with clear messages', async () => {
    const dir = tempDir();
    const keys = await initKeys(dir);
    const mint = ['delegate', 'mint', '--json'];
    expectInvalid(await gait([...mint, '--bogus']), 'flag provided but not defined: -bogus');
    expectInvalid(await gait([...mint, 'extra']), 'unexpected positional arguments');
    expectInvalid(await gait(mint), 'invalid --ttl, expected positive duration'); // no flags: TTL first
    expectInvalid(await gait([...mint, '--ttl', '7d']), 'invalid --ttl, expected positive duration');
    expectInvalid(await gait([...mint, '--ttl', '1h']), 'scope is required');
    expectInvalid(await gait([...mint, '--ttl', '1h', '--scope', ' , ']), 'scope is required');
    expectInvalid(await gait([...mint, '--ttl', '1h', '--scope', 's', '--private-key', keys.priv]), 'dev mode does not accept explicit key sources');
    expectInvalid(await gait([...mint, '--ttl', '1h', '--scope', 's', '--key-mode', 'prod', '--private-key', keys.pub]), 'invalid private key length: 32');
    expectInvalid(await gait([...mint, '--ttl', '1h', '--scope', 's']), 'delegator and delegate identities are required');
    expectInvalid(await gait([...mint, '--ttl', '1h', '--scope', 's', '--delegator', 'a']), 'delegator and delegate identities are required');
    expectInvalid(await gait([...mint, '--ttl', '1h', '--scope', 's', '--delegator', 'a', '--delegate', 'b', '--intent-digest', 'nothex']), 'intent_digest must be sha256 hex when set');
    expectInvalid(await gait([...mint, '--ttl', '1h', '--scope', 's', '--delegator', 'a', '--delegate', 'b', '--policy-digest', 'f'.repeat(63)]), 'policy_digest must be sha256 hex when set');
    const textErr = await gait(['delegate', 'mint', '--ttl', '1h']);
    expect(textErr.exit).toBe(6);
    expect(textErr.stdout).toBe('delegate error: scope is required\n');

    const verify = ['delegate', 'verify', '--json'];
    expectInvalid(await gait(verify), '--token is required');
    expectInvalid(await gait([...verify, '--token', '  ']), '--token is required');
    expectInvalid(await gait([...verify, '--token', fixtureToken(1)]), 'public key not configured');
    expectInvalid(await gait([...verify, '--token', fixtureToken(1), '--public-key', DELEGATION_PUBLIC, '--public-key-env', 'X']), 'public key source: set either path or env');
    expectInvalid(await gait([...verify, '--token', fixtureToken(1), '--public-key', path.join(dir, 'nope.key')]), `read public key: open ${path.join(dir, 'nope.key')}: no such file or directory`);
    expectInvalid(await gait([...verify, '--token', fixtureToken(1), '--public-key', keys.priv]), 'invalid public key length: 64');
    expectInvalid(await gait([...verify, '--token', fixtureToken(1), '--public-key', write(dir, 'junk.key', 'not base64!\n')]), /^decode public key: illegal base64 data at input byte \d+$/);
    expectInvalid(await gait([...verify, '--token', fixtureToken(1), '--public-key-env', 'GAIT_TEST_UNSET_PUB']), 'public key env not set: GAIT_TEST_UNSET_PUB');
    expectInvalid(await gait([...verify, '--token', 'missing.json', '--public-key', DELEGATION_PUBLIC], { cwd: dir }), 'read delegation token: open missing.json: no such file or directory');
    expectInvalid(await gait([...verify, '--token', dir, '--public-key', DELEGATION_PUBLIC]), `read delegation token: read ${dir}: is a directory`);
    expectInvalid(await gait([...verify, '--token', write(dir, 'text.json', 'not json'), '--public-key', DELEGATION_PUBLIC]), /^parse delegation token: invalid character 'o' in literal null/);
    expectInvalid(await gait([...verify, '--token', write(dir, 'array.json', '[]'), '--public-key', DELEGATION_PUBLIC]), /^parse delegation token: json: cannot unmarshal array into Go value of type gate.DelegationToken$/);
    expectInvalid(await gait([...verify, '--token', write(dir, 'badtime.json', { created_at: 'yesterday' }), '--public-key', DELEGATION_PUBLIC]), /^parse delegation token: /);
  });

  it('delegate mint + gate eval: the minted token satisfies require_delegation (TestCLIDelegateAndGateRequireDelegationFlow)', async () => {
    const dir = tempDir();
    const keys = await initKeys(dir);
    const policy = write(dir, 'policy.yaml', `default_verdict: block
rules:
  - name: allow-delegated-write
    effect: allow
    match:
      tool_names: [tool.write]
      require_delegation: true
      allowed_delegator_identities: [agent.lead]
      allowed_delegate_identities: [agent.specialist]
      delegation_scopes: [write]
`);
    const intent = write(dir, 'intent.json', {
      tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
      targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }],
      delegation: { requester_identity: 'agent.specialist', scope_class: 'write', chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.specialist', scope_class: 'write' }] },
      context: { identity: 'agent.specialist', workspace: '/repo', risk_class: 'high' },
    });
    const none = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(none.exit).toBe(3);
    expect(none.json.reason_codes).toContain('delegation_token_missing');
    const m = await gait(['delegate', 'mint', '--delegator', 'agent.lead', '--delegate', 'agent.specialist', '--scope', 'tool:tool.write', '--scope-class', 'write', '--ttl', '1h', '--key-mode', 'prod', '--private-key', keys.priv, '--out', 'd.json', '--json'], { cwd: dir });
    expect(m.exit).toBe(0);
    const ok = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--delegation-token', 'd.json', '--delegation-public-key', keys.pub, '--json'], { cwd: dir });
    expect(ok.exit, ok.stdout).toBe(0);
    expect(ok.json.verdict).toBe('allow');
    expect(ok.json.reason_codes).toContain('delegation_granted');
    expect(ok.json.delegation_ref).toBe(m.json.token_id);
  });
});
