import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../bindings/canonical/jcs.js';
import { sha256Hex } from '../../bindings/canonical/sha256.js';
import { generateKeyPair } from '../../bindings/crypto/ed25519.js';
import { keyId } from '../../bindings/crypto/keys.js';
import { signedDigest, verifyJsonSync } from '../../bindings/crypto/signed-json.js';
import {
  approvalContext,
  approvalMintSummary,
  approvalTokenId,
  approvalTokenPayload,
  buildApprovalAuditRecord,
  evaluateApprovals,
  evaluateApprovalsSync,
  mintApprovalToken,
  mintApprovalTokenSync,
  normalizeApprovalToken,
  parseApprovalToken,
  requiredApprovalScope,
  serializeApprovalToken,
  serializeAuditRecord,
  validateApprovalToken,
  validateApprovalTokenSync,
  type ApprovalContext,
  type ApprovalToken,
  type MintApprovalTokenInput,
} from '../../bindings/tokens/index.js';
import { APPROVAL_KEY_ID, APPROVAL_PRIV, APPROVAL_PUB, fixtureText, hex, intent, rejected, thrown } from './helpers.js';

const FIXTURE_TEXT = fixtureText('signed/approval_token_valid.json');
const INTENT_DIGEST = '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913';
const POLICY_DIGEST = '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9';
const FIXTURE_SIG = 'FfgS+OlPSQOvVTCvc+0NZ+HKwlhJcHXxygZQiVyn1artAmKuqYnhlRBM3kC4FCW4/kkceUImKFLLjy+z9JN5BA==';
const CANONICAL =
  '{"approver_identity":"human.reviewer","created_at":"2026-02-24T12:42:58.228785Z","expires_at":"2036-02-22T12:42:58.228785Z","intent_digest":"4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913","policy_digest":"07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9","producer_version":"0.0.0-dev","reason_code":"MANUAL_APPROVAL","schema_id":"gait.gate.approval_token","schema_version":"1.0.0","scope":["tool:tool.write"],"token_id":"ec44f8948261811d131eb04a"}';

const FIXTURE_CTX: ApprovalContext = {
  intentDigest: INTENT_DIGEST,
  policyDigest: POLICY_DIGEST,
  delegationBindingDigest: '',
  requiredScope: ['tool:tool.write'],
  targetCount: 1,
  operationCount: 1,
};
const EVAL_NOW = '2026-03-01T00:00:00Z';

describe('§8 item 1: approval-token-valid fixture', () => {
  const token = parseApprovalToken(FIXTURE_TEXT);

  it('parses into the gait field set and projects to the exact canonical signable', () => {
    expect(token.token_id).toBe('ec44f8948261811d131eb04a');
    expect(token.created_at).toBe('2026-02-24T12:42:58.228785Z');
    expect(token.expires_at).toBe('2036-02-22T12:42:58.228785Z');
    expect(token.scope).toEqual(['tool:tool.write']);
    const normalized = normalizeApprovalToken(token);
    expect(canonicalize(approvalTokenPayload(normalized))).toBe(CANONICAL);
    expect(signedDigest(approvalTokenPayload(normalized))).toBe('d470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0');
    expect(token.signature?.signed_digest).toBe('d470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0');
  });

  it('token_id is recomputed from the §3.2 text', () => {
    const text = `${INTENT_DIGEST}:${POLICY_DIGEST}:human.reviewer:MANUAL_APPROVAL:tool:tool.write:0:0:2036-02-22T12:42:58.228785Z`;
    expect(sha256Hex(text).slice(0, 24)).toBe('ec44f8948261811d131eb04a');
    expect(approvalTokenId(token)).toBe('ec44f8948261811d131eb04a');
  });

  it('key ids and the signature verify with approval_public.key', () => {
    expect(keyId(APPROVAL_PUB)).toBe(APPROVAL_KEY_ID);
    expect(keyId(APPROVAL_PRIV.subarray(32))).toBe(APPROVAL_KEY_ID);
    expect(token.signature?.key_id).toBe(APPROVAL_KEY_ID);
    expect(() => verifyJsonSync(approvalTokenPayload(token), token.signature!, APPROVAL_PUB)).not.toThrow();
  });

  it('validates (async and sync) against the scenario context', async () => {
    const r = await validateApprovalToken(token, FIXTURE_CTX, APPROVAL_PUB, EVAL_NOW);
    expect(r.ok).toBe(true);
    expect(validateApprovalTokenSync(token, FIXTURE_CTX, APPROVAL_PUB, EVAL_NOW).ok).toBe(true);
  });

  const mintInput: MintApprovalTokenInput = {
    intentDigest: INTENT_DIGEST,
    policyDigest: POLICY_DIGEST,
    ttl: '87600h',
    scope: ['tool:tool.write'],
    approver: 'human.reviewer',
    reasonCode: 'MANUAL_APPROVAL',
    now: '2026-02-24T12:42:58.228785Z',
    privateKey: APPROVAL_PRIV,
    producerVersion: '0.0.0-dev',
  };

  it('minting from the fixture fields reproduces the signature byte for byte', async () => {
    const minted = await mintApprovalToken(mintInput);
    expect(minted.token_id).toBe('ec44f8948261811d131eb04a');
    expect(minted.expires_at).toBe('2036-02-22T12:42:58.228785Z');
    expect(minted.signature).toEqual({
      alg: 'ed25519',
      key_id: APPROVAL_KEY_ID,
      sig: FIXTURE_SIG,
      signed_digest: 'd470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0',
    });
    expect(mintApprovalTokenSync(mintInput).signature?.sig).toBe(FIXTURE_SIG);
    // The file gait wrote is exactly our serialization.
    expect(serializeApprovalToken(minted)).toBe(FIXTURE_TEXT);
  });

  it('TTL in milliseconds and un-normalized inputs give the same token', async () => {
    const minted = await mintApprovalToken({
      ...mintInput,
      ttl: 87600 * 3600 * 1000,
      intentDigest: ` ${INTENT_DIGEST.toUpperCase()} `,
      scope: [' TOOL:tool.write', 'tool:tool.write', ''],
      approver: ' human.reviewer ',
    });
    expect(minted.signature?.sig).toBe(FIXTURE_SIG);
  });

  it('the approve summary uses RFC3339 without fraction', async () => {
    const s = approvalMintSummary(await mintApprovalToken(mintInput));
    expect(s).toEqual({
      token_id: 'ec44f8948261811d131eb04a',
      expires_at: '2036-02-22T12:42:58Z',
      reason_code: 'MANUAL_APPROVAL',
      scope: ['tool:tool.write'],
      key_id: APPROVAL_KEY_ID,
      description: 'signed approval token created',
    });
  });

  it('approval stage: granted, approval_ref = token id', async () => {
    const r = await evaluateApprovals({
      tokens: [{ path: 'approval-token.json', token }],
      context: FIXTURE_CTX,
      minApprovals: 0,
      requireDistinctApprovers: false,
      verifyKey: APPROVAL_PUB,
      now: EVAL_NOW,
    });
    expect(r.granted).toBe(true);
    expect(r.verdict).toBe('allow');
    expect(r.exitCode).toBe(0);
    expect(r.reasonCodes).toEqual(['approval_granted']);
    expect(r.violations).toEqual([]);
    expect(r.approvalRef).toBe('ec44f8948261811d131eb04a');
    expect(r.requiredApprovals).toBe(1);
    expect(r.validApprovals).toBe(1);
  });

  it('the dev-mode trace key (no approval key configured) makes it signature_invalid', async () => {
    const r = await validateApprovalToken(token, FIXTURE_CTX, generateKeyPair().publicKey, EVAL_NOW);
    expect(r).toMatchObject({ ok: false, code: 'approval_token_signature_invalid', detail: 'key id mismatch' });
  });
});

// ---------------------------------------------------------------------------------------------

const T0 = '2026-05-01T10:00:00.123456789Z';
const BASE: MintApprovalTokenInput = {
  intentDigest: hex('a'),
  policyDigest: hex('b'),
  ttl: '1h',
  scope: ['tool:tool.write'],
  approver: 'alice',
  reasonCode: 'change_ticket',
  now: T0,
  privateKey: APPROVAL_PRIV,
};
const CTX: ApprovalContext = {
  intentDigest: hex('a'),
  policyDigest: hex('b'),
  delegationBindingDigest: '',
  requiredScope: ['tool:tool.write'],
  targetCount: 2,
  operationCount: 2,
};
const NOW = '2026-05-01T10:30:00Z';
const mint = (over: Partial<MintApprovalTokenInput> = {}): ApprovalToken => mintApprovalTokenSync({ ...BASE, ...over });
const check = (token: ApprovalToken, ctx: Partial<ApprovalContext> = CTX, now: string | Date = NOW, key: Uint8Array | null = APPROVAL_PUB) =>
  validateApprovalTokenSync(token, ctx, key, now);

describe('§3.6 validation, each code', () => {
  it('a well-formed token is valid', () => {
    const r = check(mint());
    expect(r.ok).toBe(true);
  });

  it('approval_token_invalid for normalization failures (with gait messages)', () => {
    const t = mint();
    expect(check({ ...t, schema_id: 'x' })).toMatchObject({ code: 'approval_token_invalid', error: 'approval_token_invalid: unsupported schema_id: x' });
    expect(check({ ...t, schema_version: '2.0.0' })).toMatchObject({ code: 'approval_token_invalid', detail: 'unsupported schema_version: 2.0.0' });
    expect(check({ ...t, scope: [' ', ''] })).toMatchObject({ code: 'approval_token_invalid', detail: 'scope is required' });
    expect(check({ ...t, token_id: ' ' })).toMatchObject({ detail: 'token_id is required' });
    expect(check({ ...t, approver_identity: '' })).toMatchObject({ detail: 'approver_identity is required' });
    expect(check({ ...t, reason_code: '' })).toMatchObject({ detail: 'reason_code is required' });
    expect(check({ ...t, intent_digest: 'abc' })).toMatchObject({ detail: 'intent_digest must be sha256 hex' });
    expect(check({ ...t, policy_digest: hex('g') })).toMatchObject({ detail: 'policy_digest must be sha256 hex' });
    expect(check({ ...t, delegation_binding_digest: 'zz' })).toMatchObject({ detail: 'delegation_binding_digest must be sha256 hex when set' });
    expect(check({ ...t, max_targets: -1 })).toMatchObject({ detail: 'max_targets must be >= 0' });
    expect(check({ ...t, max_ops: -1 })).toMatchObject({ detail: 'max_ops must be >= 0' });
    expect(check({ ...t, created_at: '' })).toMatchObject({ detail: 'created_at is required' });
    expect(check({ ...t, expires_at: '0001-01-01T00:00:00Z' })).toMatchObject({ detail: 'expires_at is required' });
  });

  it('normalization-only differences keep the signature valid (upper-case digest, unsorted scope)', () => {
    const t = mint({ scope: ['tool:tool.write', 'phase:apply'] });
    const r = check({ ...t, intent_digest: ` ${t.intent_digest.toUpperCase()}`, scope: ['Phase:Apply', 'tool:tool.write', 'tool:tool.write'] });
    expect(r.ok).toBe(true);
  });

  it('approval_token_signature_invalid when no verify key is available', () => {
    expect(check(mint(), CTX, NOW, null)).toMatchObject({
      code: 'approval_token_signature_invalid',
      detail: 'verification public key is required',
    });
  });

  it('approval_token_signature_missing', () => {
    const { signature: _s, ...unsigned } = mint();
    expect(check(unsigned)).toMatchObject({ code: 'approval_token_signature_missing' });
    // an unsigned token with a broken schema still reports invalid first
    expect(check({ ...unsigned, schema_id: 'nope' })).toMatchObject({ code: 'approval_token_invalid' });
  });

  it('approval_token_signature_invalid: tampered field, wrong key, bad alg, bad sig', () => {
    const t = mint();
    expect(check({ ...t, approver_identity: 'mallory' })).toMatchObject({ code: 'approval_token_signature_invalid', detail: 'signed_digest mismatch' });
    expect(check({ ...t, max_targets: 5 })).toMatchObject({ code: 'approval_token_signature_invalid', detail: 'signed_digest mismatch' });
    const other = generateKeyPair();
    expect(check(t, CTX, NOW, other.publicKey)).toMatchObject({ code: 'approval_token_signature_invalid', detail: 'key id mismatch' });
    expect(check({ ...t, signature: { ...t.signature!, key_id: '' } }, CTX, NOW, other.publicKey)).toMatchObject({
      code: 'approval_token_signature_invalid',
      detail: 'signature verification failed',
    });
    expect(check({ ...t, signature: { ...t.signature!, alg: 'rsa' } })).toMatchObject({
      code: 'approval_token_signature_invalid',
      detail: 'unsupported alg: rsa',
    });
    expect(check({ ...t, signature: { ...t.signature!, signed_digest: '' } })).toMatchObject({ detail: 'missing signed_digest' });
    expect(check({ ...t, signature: { ...t.signature!, sig: 'Zm9v' } })).toMatchObject({ detail: 'invalid signature length: 3' });
    // signed by another key entirely
    const foreign = mintApprovalTokenSync({ ...BASE, privateKey: other.privateKey });
    expect(check(foreign)).toMatchObject({ code: 'approval_token_signature_invalid', detail: 'key id mismatch' });
  });

  it('approval_token_intent_mismatch / policy_mismatch', () => {
    expect(check(mint({ intentDigest: hex('c') }))).toMatchObject({ code: 'approval_token_intent_mismatch' });
    expect(check(mint({ policyDigest: hex('c') }))).toMatchObject({ code: 'approval_token_policy_mismatch' });
    // expected values are compared lower-cased; empty expectations are not checked
    expect(check(mint(), { ...CTX, intentDigest: hex('A') }).ok).toBe(true);
    expect(check(mint({ intentDigest: hex('c') }), { ...CTX, intentDigest: '' }).ok).toBe(true);
  });

  it('approval_token_delegation_binding_mismatch (an absent token value mismatches too)', () => {
    const ctx = { ...CTX, delegationBindingDigest: hex('d') };
    expect(check(mint(), ctx)).toMatchObject({ code: 'approval_token_delegation_binding_mismatch' });
    expect(check(mint({ delegationBindingDigest: hex('e') }), ctx)).toMatchObject({ code: 'approval_token_delegation_binding_mismatch' });
    expect(check(mint({ delegationBindingDigest: hex('d') }), ctx).ok).toBe(true);
    // a bound token is fine for an intent without delegation
    expect(check(mint({ delegationBindingDigest: hex('d') })).ok).toBe(true);
  });

  it('approval_token_expired exactly at expires_at, valid one nanosecond before', () => {
    const t = mint();
    expect(t.expires_at).toBe('2026-05-01T11:00:00.123456789Z');
    expect(check(t, CTX, '2026-05-01T11:00:00.123456789Z')).toMatchObject({
      code: 'approval_token_expired',
      error: 'approval_token_expired: token expired',
    });
    expect(check(t, CTX, '2026-05-01T11:00:00.123456788Z').ok).toBe(true);
    expect(check(t, CTX, '2026-05-01T11:00:00.123456788Z').ok).toBe(true);
    expect(check(t, CTX, '2026-05-01T12:00:00.2+01:00')).toMatchObject({ code: 'approval_token_expired' });
    expect(check(t, CTX, new Date('2026-05-01T11:00:01Z'))).toMatchObject({ code: 'approval_token_expired' });
  });

  it('approval_token_scope_mismatch requires every item; `*` matches everything', () => {
    const ctx = { ...CTX, requiredScope: ['destructive:apply', 'phase:apply', 'tool:tool.write'] };
    expect(check(mint(), ctx)).toMatchObject({ code: 'approval_token_scope_mismatch' });
    expect(check(mint({ scope: ['tool:tool.write', 'phase:apply'] }), ctx)).toMatchObject({ code: 'approval_token_scope_mismatch' });
    expect(check(mint({ scope: ['tool:tool.write', 'phase:apply', 'destructive:apply'] }), ctx).ok).toBe(true);
    expect(check(mint({ scope: ['*'] }), ctx).ok).toBe(true);
    expect(check(mint({ scope: ['tool.write'] }))).toMatchObject({ code: 'approval_token_scope_mismatch' });
    expect(check(mint({ scope: ['tool.write'] }), { ...CTX, requiredScope: [] }).ok).toBe(true);
  });

  it('max_targets / max_ops exceeded (0 = unbounded, equality allowed)', () => {
    expect(check(mint({ maxTargets: 1 }))).toMatchObject({ code: 'approval_token_max_targets_exceeded' });
    expect(check(mint({ maxTargets: 2 })).ok).toBe(true);
    expect(check(mint({ maxOps: 1 }))).toMatchObject({ code: 'approval_token_max_ops_exceeded' });
    expect(check(mint({ maxOps: 2 })).ok).toBe(true);
    expect(check(mint({ maxTargets: 1, maxOps: 1 }))).toMatchObject({ code: 'approval_token_max_targets_exceeded' });
  });

  it('first failure wins in §3.6 order', () => {
    // intent (5) before policy (6), binding (7), expiry (8), scope (9), limits (10, 11)
    const all = mint({ intentDigest: hex('c'), policyDigest: hex('c'), scope: ['x'], maxTargets: 1, maxOps: 1 });
    const ctx = { ...CTX, delegationBindingDigest: hex('d') };
    const late = '2027-01-01T00:00:00Z';
    expect(check(all, ctx, late)).toMatchObject({ code: 'approval_token_intent_mismatch' });
    expect(check(all, { ...ctx, intentDigest: hex('c') }, late)).toMatchObject({ code: 'approval_token_policy_mismatch' });
    expect(check(all, { ...ctx, intentDigest: hex('c'), policyDigest: hex('c') }, late)).toMatchObject({
      code: 'approval_token_delegation_binding_mismatch',
    });
    const c2 = { ...CTX, intentDigest: hex('c'), policyDigest: hex('c') };
    expect(check(all, c2, late)).toMatchObject({ code: 'approval_token_expired' });
    expect(check(all, c2)).toMatchObject({ code: 'approval_token_scope_mismatch' });
    expect(check(all, { ...c2, requiredScope: ['x'] })).toMatchObject({ code: 'approval_token_max_targets_exceeded' });
    expect(check(all, { ...c2, requiredScope: ['x'], targetCount: 1 })).toMatchObject({ code: 'approval_token_max_ops_exceeded' });
    // signature (4) before intent (5): a tampered token with a wrong intent is signature_invalid
    expect(check({ ...all, reason_code: 'x' }, ctx, late)).toMatchObject({ code: 'approval_token_signature_invalid' });
  });

  it('async validation agrees with sync', async () => {
    const t = mint({ maxOps: 1 });
    expect(await validateApprovalToken(t, CTX, APPROVAL_PUB, NOW)).toEqual(check(t));
  });
});

describe('§3.4 minting errors, in order', () => {
  const err = (over: Partial<MintApprovalTokenInput>): string => thrown(() => mint(over)).message;
  it('exact messages', async () => {
    expect(err({ privateKey: undefined, ttl: '0s' })).toBe('signing private key is required');
    expect(err({ ttl: '0s', intentDigest: 'x' })).toBe('ttl must be greater than 0');
    expect(err({ ttl: '-1h' })).toBe('ttl must be greater than 0');
    expect(err({ ttl: '1d' })).toBe('invalid --ttl, expected positive duration');
    expect(err({ intentDigest: 'x', policyDigest: 'y' })).toBe('intent_digest must be sha256 hex');
    expect(err({ policyDigest: 'y' })).toBe('policy_digest must be sha256 hex');
    expect(err({ delegationBindingDigest: 'z' })).toBe('delegation_binding_digest must be sha256 hex when set');
    expect(err({ approver: ' ', reasonCode: '' })).toBe('approver identity is required');
    expect(err({ reasonCode: '' })).toBe('reason code is required');
    expect(err({ scope: [' ', ''] })).toBe('scope must include at least one value');
    expect(err({ maxTargets: -1 })).toBe('max_targets must be >= 0');
    expect(err({ maxOps: -2 })).toBe('max_ops must be >= 0');
    expect(err({ now: 'yesterday' })).toMatch(/^invalid now: parsing time "yesterday"/);
    expect((await rejected(mintApprovalToken({ ...BASE, privateKey: undefined }))).message).toBe('signing private key is required');
  });

  it('token fields: created_at in UTC, reason code case kept, scope normalized, limits omitted when 0', () => {
    const t = mint({ now: '2026-05-01T12:00:00.5+02:00', ttl: '1h30m', reasonCode: 'MixedCase', scope: ['Tool:Tool.Write', 'phase:apply'] });
    expect(t.created_at).toBe('2026-05-01T10:00:00.5Z');
    expect(t.expires_at).toBe('2026-05-01T11:30:00.5Z');
    expect(t.reason_code).toBe('MixedCase');
    expect(t.scope).toEqual(['phase:apply', 'tool:tool.write']);
    const payload = approvalTokenPayload(t);
    expect(Object.keys(payload)).toEqual([
      'schema_id', 'schema_version', 'created_at', 'producer_version', 'token_id', 'approver_identity',
      'reason_code', 'intent_digest', 'policy_digest', 'scope', 'expires_at',
    ]);
    const limited = mint({ maxTargets: 3, maxOps: 4, delegationBindingDigest: hex('D') });
    expect(Object.keys(approvalTokenPayload(limited))).toEqual([
      'schema_id', 'schema_version', 'created_at', 'producer_version', 'token_id', 'approver_identity',
      'reason_code', 'intent_digest', 'policy_digest', 'delegation_binding_digest', 'scope', 'max_targets',
      'max_ops', 'expires_at',
    ]);
    expect(limited.delegation_binding_digest).toBe(hex('d'));
    // max_targets/max_ops enter the token id; the binding digest does not
    expect(limited.token_id).toBe(
      sha256Hex(`${hex('a')}:${hex('b')}:alice:change_ticket:tool:tool.write:3:4:${limited.expires_at}`).slice(0, 24),
    );
    // the token round-trips through its file form
    expect(parseApprovalToken(serializeApprovalToken(limited))).toEqual(limited);
  });
});

describe('§3.5 approval context', () => {
  const base = {
    tool_name: 'tool.write',
    args: { path: '/tmp/x' },
    targets: [{ kind: 'path', value: '/tmp/x', operation: 'write' }],
    context: { identity: 'alice', workspace: '/repo', risk_class: 'high' },
  };

  it('non-destructive intent: only tool:<name>; counts = targets', () => {
    const n = intent(base);
    const ctx = approvalContext(n, ` ${hex('B')} `);
    expect(ctx.requiredScope).toEqual(['tool:tool.write']);
    expect(ctx.intentDigest).toBe(n.intent_digest);
    expect(ctx.policyDigest).toBe(hex('b'));
    expect(ctx.delegationBindingDigest).toBe('');
    expect(ctx.targetCount).toBe(1);
    expect(ctx.operationCount).toBe(1);
  });

  it('destructive apply intent adds phase:apply and destructive:apply; plan does not', () => {
    const del = { ...base, tool_name: 'tool.delete', targets: [{ kind: 'path', value: '/tmp/x', operation: 'delete' }] };
    expect(approvalContext(intent(del), hex('b')).requiredScope).toEqual(['destructive:apply', 'phase:apply', 'tool:tool.delete']);
    expect(approvalContext(intent({ ...del, context: { ...del.context, phase: 'plan' } }), hex('b')).requiredScope).toEqual([
      'tool:tool.delete',
    ]);
    expect(requiredApprovalScope('Tool.X', '', [{ destructive: false, destructive_hint: true, endpoint_class: '', operation: '' }])).toEqual([
      'destructive:apply',
      'phase:apply',
      'tool:tool.x',
    ]);
    expect(requiredApprovalScope('t', 'apply', [{ destructive: false, destructive_hint: false, endpoint_class: 'proc.exec', operation: '' }])).toHaveLength(3);
    expect(requiredApprovalScope('t', 'apply', [{ destructive: false, destructive_hint: false, endpoint_class: 'fs.write', operation: 'spawn' }])).toHaveLength(3);
    expect(requiredApprovalScope('t', 'apply', [{ destructive: false, destructive_hint: false, endpoint_class: 'fs.write', operation: 'write' }])).toEqual(['tool:t']);
  });

  it('no targets: operation count 1, target count 0', () => {
    const ctx = approvalContext(intent({ ...base, targets: [] }), hex('b'));
    expect(ctx.targetCount).toBe(0);
    expect(ctx.operationCount).toBe(1);
  });

  it('scripts: tool script, step target sum, step count', () => {
    const n = intent({
      tool_name: 'ignored',
      args: {},
      context: base.context,
      script: {
        steps: [
          { tool_name: 'tool.read', args: {}, targets: [{ kind: 'path', value: '/a', operation: 'read' }, { kind: 'path', value: '/b', operation: 'read' }] },
          { tool_name: 'tool.write', args: {}, targets: [{ kind: 'path', value: '/c', operation: 'write' }] },
          { tool_name: 'tool.noop', args: {} },
        ],
      },
    });
    const ctx = approvalContext(n, hex('b'));
    expect(ctx.requiredScope).toEqual(['tool:script']);
    expect(ctx.targetCount).toBe(3);
    expect(ctx.operationCount).toBe(3);
  });

  it('delegated intent: binding digest is the delegation digest', () => {
    const n = intent({ ...base, delegation: { requester_identity: 'agent.worker', scope_class: 'write' } });
    const ctx = approvalContext(n, hex('b'));
    expect(ctx.delegationBindingDigest).toMatch(/^[0-9a-f]{64}$/);
    const token = mint({ intentDigest: ctx.intentDigest, delegationBindingDigest: ctx.delegationBindingDigest, scope: ['tool:tool.write'] });
    expect(check(token, { ...ctx, targetCount: 1, operationCount: 1 }).ok).toBe(true);
    const unbound = mint({ intentDigest: ctx.intentDigest });
    expect(check(unbound, ctx)).toMatchObject({ code: 'approval_token_delegation_binding_mismatch' });
  });
});

describe('§3.7 approval stage', () => {
  const stage = (tokens: Array<{ path: string; token: ApprovalToken }>, minApprovals = 1, distinct = false, ref?: string) =>
    evaluateApprovalsSync({
      tokens,
      context: CTX,
      minApprovals,
      requireDistinctApprovers: distinct,
      verifyKey: APPROVAL_PUB,
      now: NOW,
      approvalTokenRef: ref,
    });

  it('no tokens: approval_token_missing, violation approval_not_granted, exit 4', () => {
    const r = stage([], 0, false, 'ticket-9');
    expect(r).toMatchObject({
      granted: false,
      verdict: 'require_approval',
      exitCode: 4,
      reasonCodes: ['approval_token_missing'],
      violations: ['approval_not_granted'],
      approvalRef: 'ticket-9',
      requiredApprovals: 1,
      validApprovals: 0,
    });
  });

  it('an expired token: chain_insufficient + expired (the §8 item 2 shape)', () => {
    const expired = mint({ ttl: '1s', now: '2026-05-01T10:29:59Z' });
    const r = stage([{ path: 'approval-token.json', token: expired }]);
    expect(r.reasonCodes).toEqual(['approval_chain_insufficient', 'approval_token_expired']);
    expect(r.violations).toEqual(['approval_not_granted']);
    expect(r.exitCode).toBe(4);
    expect(r.entries).toEqual([
      {
        token_id: expired.token_id,
        approver_identity: 'alice',
        reason_code: 'change_ticket',
        scope: ['tool:tool.write'],
        expires_at: '2026-05-01T10:30:00Z',
        valid: false,
        error_code: 'approval_token_expired',
      },
    ]);
  });

  it('min_approvals 2: one token insufficient; two distinct approvers granted with sorted ref', () => {
    const a = mint({ approver: 'alice' });
    const b = mint({ approver: 'bob' });
    expect(stage([{ path: 'a.json', token: a }], 2, true).reasonCodes).toEqual([
      'approval_chain_insufficient',
      'approval_distinct_approvers_required',
    ]);
    const r = stage([{ path: 'b.json', token: b }, { path: 'a.json', token: a }], 2, true);
    expect(r.granted).toBe(true);
    expect(r.reasonCodes).toEqual(['approval_granted']);
    expect(r.approvalRef).toBe([a.token_id, b.token_id].sort().join(','));
    expect(r.approvers).toEqual(['alice', 'bob']);
    expect(r.outcomes.map((o) => o.path)).toEqual(['a.json', 'b.json']);
  });

  it('the same approver twice: counts twice unless distinct approvers are required', () => {
    const a1 = mint({ approver: 'alice' });
    const a2 = mint({ approver: 'alice', reasonCode: 'other' });
    const tokens = [{ path: 'one.json', token: a1 }, { path: 'two.json', token: a2 }];
    expect(stage(tokens, 2, false).granted).toBe(true);
    const r = stage(tokens, 2, true);
    expect(r.granted).toBe(false);
    expect(r.reasonCodes).toEqual(['approval_distinct_approvers_required']);
    expect(r.validApprovals).toBe(2);
    // copies of one token at two paths are two approvals; the same path twice is one
    expect(stage([{ path: 'x.json', token: a1 }, { path: 'y.json', token: a1 }], 2).granted).toBe(true);
    expect(stage([{ path: 'x.json', token: a1 }, { path: ' x.json', token: a1 }], 2).validApprovals).toBe(1);
  });

  it('granted with an invalid extra token keeps its code; ref lists only valid tokens', () => {
    const good = mint();
    const bad = mint({ intentDigest: hex('c') });
    const r = stage([{ path: 'good.json', token: good }, { path: 'bad.json', token: bad }], 1, false, 'preset');
    expect(r.granted).toBe(true);
    expect(r.reasonCodes).toEqual(['approval_granted', 'approval_token_intent_mismatch']);
    expect(r.approvalRef).toBe(good.token_id);
    expect(r.entries.map((e) => e.valid)).toEqual(
      [good.token_id, bad.token_id].sort().map((id) => id === good.token_id),
    );
  });

  it('async stage equals sync stage', async () => {
    const tokens = [{ path: 'a', token: mint() }, { path: 'b', token: mint({ maxOps: 1 }) }];
    const input = { tokens, context: CTX, minApprovals: 1, requireDistinctApprovers: false, verifyKey: APPROVAL_PUB, now: NOW };
    expect(await evaluateApprovals(input)).toEqual(evaluateApprovalsSync(input));
  });

  it('too many tokens is a clear invalid-input error', () => {
    const t = mint();
    const tokens = Array.from({ length: 257 }, (_, i) => ({ path: `t${i}.json`, token: t }));
    expect(thrown(() => stage(tokens)).message).toBe('too many approval tokens: 257 (max 256)');
  });
});

describe('§6.1 approval audit record', () => {
  it('fields, entry order and relationship', () => {
    const a = mint({ approver: 'bob' });
    const b = mint({ approver: 'alice', intentDigest: hex('c') });
    const c = mint({ approver: 'carol' });
    const r = evaluateApprovalsSync({
      tokens: [{ path: '1', token: a }, { path: '2', token: b }, { path: '3', token: c }],
      context: CTX,
      minApprovals: 3,
      requireDistinctApprovers: true,
      verifyKey: APPROVAL_PUB,
      now: NOW,
    });
    const record = buildApprovalAuditRecord({
      createdAt: '2026-05-01T12:00:00+02:00',
      traceId: 'trace123',
      toolName: 'tool.write',
      intentDigest: hex('A'),
      policyDigest: hex('B'),
      requiredApprovals: r.requiredApprovals,
      entries: r.entries,
    });
    expect(Object.keys(record)).toEqual([
      'schema_id', 'schema_version', 'created_at', 'producer_version', 'trace_id', 'tool_name', 'intent_digest',
      'policy_digest', 'required_approvals', 'valid_approvals', 'approved', 'approvers', 'relationship', 'entries',
    ]);
    expect(record.schema_id).toBe('gait.gate.approval_audit_record');
    expect(record.created_at).toBe('2026-05-01T10:00:00Z');
    expect(record.intent_digest).toBe(hex('a'));
    expect(record.required_approvals).toBe(3);
    expect(record.valid_approvals).toBe(2);
    expect(record.approved).toBe(false);
    expect(record.approvers).toEqual(['bob', 'carol']);
    expect(record.entries.map((e) => e.token_id)).toEqual([a.token_id, b.token_id, c.token_id].sort());
    expect(record.relationship).toEqual({
      parent_ref: { kind: 'trace', id: 'trace123' },
      entity_refs: [
        { kind: 'agent', id: 'bob' },
        { kind: 'agent', id: 'carol' },
        { kind: 'policy', id: hex('b') },
        { kind: 'tool', id: 'tool.write' },
        { kind: 'trace', id: 'trace123' },
      ],
      policy_ref: { policy_digest: hex('b') },
      edges: [{ kind: 'governed_by', from: { kind: 'tool', id: 'tool.write' }, to: { kind: 'policy', id: hex('b') } }],
      parent_record_id: 'trace123',
      related_entity_ids: [hex('b'), 'bob', 'carol', 'tool.write', 'trace123'],
    });
    const text = serializeAuditRecord(record);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(record)));
  });

  it('no intent created_at → 1980; no valid approvers → approvers omitted, approved only if required is 0', () => {
    const record = buildApprovalAuditRecord({
      createdAt: '',
      traceId: 't',
      toolName: 'tool.write',
      intentDigest: hex('a'),
      policyDigest: hex('b'),
      requiredApprovals: 1,
      entries: [],
    });
    expect(record.created_at).toBe('1980-01-01T00:00:00Z');
    expect('approvers' in record).toBe(false);
    expect(record.approved).toBe(false);
    // Gait v1.3.6 writes `"entries": null` when no token was evaluated (issue 10 S03).
    expect(record.entries).toBeNull();
    expect(serializeAuditRecord(record)).toContain('\n  "entries": null\n}');
  });

  it('entries sort by token_id, approver, reason, expires_at instant, scope', () => {
    const record = buildApprovalAuditRecord({
      createdAt: '',
      traceId: 't',
      toolName: 'x',
      intentDigest: '',
      policyDigest: '',
      requiredApprovals: 0,
      entries: [
        { token_id: 'a', expires_at: '2026-01-01T00:00:05Z', valid: true },
        { token_id: 'a', expires_at: '2026-01-01T00:00:05.5Z', valid: false },
        { token_id: 'a', expires_at: '2026-01-01T00:00:04Z', valid: true, scope: ['z'] },
        { token_id: 'a', expires_at: '2026-01-01T00:00:04Z', valid: true, scope: ['b'] },
      ],
    });
    expect(record.entries.map((e) => `${e.expires_at}/${(e.scope ?? []).join()}`)).toEqual([
      '2026-01-01T00:00:04Z/b',
      '2026-01-01T00:00:04Z/z',
      '2026-01-01T00:00:05Z/',
      '2026-01-01T00:00:05.5Z/',
    ]);
  });
});
