import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../bindings/canonical/jcs.js';
import { sha256Hex } from '../../bindings/canonical/sha256.js';
import { generateKeyPair } from '../../bindings/crypto/ed25519.js';
import { keyId } from '../../bindings/crypto/keys.js';
import { signedDigest } from '../../bindings/crypto/signed-json.js';
import { delegationDigest } from '../../bindings/intent/digest.js';
import {
  buildDelegationAuditRecord,
  delegationTokenId,
  delegationTokenPayload,
  delegationTokenSummary,
  evaluateDelegations,
  evaluateDelegationsSync,
  mintDelegationToken,
  mintDelegationTokenSync,
  normalizeDelegationToken,
  parseDelegationToken,
  serializeDelegationToken,
  traceDelegationRef,
  validateDelegationChain,
  validateDelegationChainSync,
  validateDelegationToken,
  validateDelegationTokenSync,
  type DelegationChainInput,
  type DelegationToken,
  type MintDelegationTokenInput,
} from '../../bindings/tokens/index.js';
import { APPROVAL_PRIV, APPROVAL_PUB, DELEGATION_KEY_ID, DELEGATION_PUB, fixtureText, hex, intent, thrown } from './helpers.js';

const FIXTURES = [
  {
    file: 'signed/delegation_token_1.json',
    id: '694428976ab1b10859171a05',
    from: 'agent.lead',
    to: 'agent.manager',
    digest: '63ffcb2916228baf7e2a3b4d57f833aeba8a08d114659990e4644b9b13bdd9e0',
  },
  {
    file: 'signed/delegation_token_2.json',
    id: '7e37847cf7d9320eb0854cc8',
    from: 'agent.manager',
    to: 'agent.senior',
    digest: '3a9e00573bb8527ca7a89813547ec21043a60c77b0c891eb5c817896262344e8',
  },
  {
    file: 'signed/delegation_token_3.json',
    id: '8a715283a36e6b05e9287e12',
    from: 'agent.senior',
    to: 'agent.worker',
    digest: 'd37f2bc6e182a895c1639450d684860bd2fe51025abd470afbf267170fb4baf8',
  },
];
const TOKEN1_CANONICAL =
  '{"created_at":"2026-02-18T19:13:04.95397Z","delegate_identity":"agent.manager","delegator_identity":"agent.lead","expires_at":"2036-02-16T19:13:04.95397Z","producer_version":"0.0.0-dev","schema_id":"gait.gate.delegation_token","schema_version":"1.0.0","scope":["tool:tool.write"],"scope_class":"write","token_id":"694428976ab1b10859171a05"}';

const [T1, T2, T3] = FIXTURES.map((f) => parseDelegationToken(fixtureText(f.file))) as [DelegationToken, DelegationToken, DelegationToken];
const NOW = '2026-03-01T00:00:00Z';

const CHAIN_INTENT = intent({
  tool_name: 'tool.write',
  args: { path: '/tmp/out.txt' },
  targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }],
  context: { identity: 'agent.worker', workspace: '/repo', risk_class: 'high' },
  delegation: {
    requester_identity: 'agent.worker',
    scope_class: 'write',
    token_refs: ['zz-ref', 'aa-ref'],
    chain: [
      { delegator_identity: 'agent.lead', delegate_identity: 'agent.manager', scope_class: 'write' },
      { delegator_identity: 'agent.manager', delegate_identity: 'agent.senior', scope_class: 'write' },
      { delegator_identity: 'agent.senior', delegate_identity: 'agent.worker', scope_class: 'write' },
    ],
  },
});

const chainInput = (tokens: Array<{ path: string; token: DelegationToken }>, over: Partial<DelegationChainInput> = {}): DelegationChainInput => ({
  delegation: CHAIN_INTENT.delegation,
  tokens,
  verifyKey: DELEGATION_PUB,
  now: NOW,
  requiredScopes: ['write'],
  intentDigest: CHAIN_INTENT.intent_digest,
  policyDigest: hex('b'),
  ...over,
});

describe('§8 item 3: delegation-chain-depth-3 fixtures', () => {
  it('key id of delegation_public.key', () => {
    expect(keyId(DELEGATION_PUB)).toBe(DELEGATION_KEY_ID);
  });

  for (const [f, token] of FIXTURES.map((f, i) => [f, [T1, T2, T3][i]!] as const))
  it(`${f.file}: id, digest, identities, verification`, async () => {
    expect(token.token_id).toBe(f.id);
    expect(token.delegator_identity).toBe(f.from);
    expect(token.delegate_identity).toBe(f.to);
    expect(token.scope).toEqual(['tool:tool.write']);
    expect(token.scope_class).toBe('write');
    expect(token.intent_digest).toBe('');
    expect(token.policy_digest).toBe('');
    expect(token.signature?.key_id).toBe(DELEGATION_KEY_ID);
    const normalized = normalizeDelegationToken(token);
    expect(signedDigest(delegationTokenPayload(normalized))).toBe(f.digest);
    expect(token.signature?.signed_digest).toBe(f.digest);
    expect(delegationTokenId(normalized)).toBe(f.id);
    expect(token.expires_at.startsWith('2036-02-16T')).toBe(true);
    const r = await validateDelegationToken(token, { delegator: f.from, delegate: f.to, requiredScopes: ['write'] }, DELEGATION_PUB, NOW);
    expect(r.ok).toBe(true);
    expect(serializeDelegationToken(token)).toBe(fixtureText(f.file));
  });

  it('token 1 canonical signable is exact; its id is the §4.2 text hash', () => {
    expect(canonicalize(delegationTokenPayload(normalizeDelegationToken(T1)))).toBe(TOKEN1_CANONICAL);
    expect(sha256Hex('agent.lead:agent.manager:tool:tool.write:write:::2036-02-16T19:13:04.95397Z').slice(0, 24)).toBe(
      '694428976ab1b10859171a05',
    );
  });

  it('the chain lead→manager→senior→worker validates; paths are sorted before use', async () => {
    const tokens = [
      { path: '/abs/delegation-token-3.json', token: T3 },
      { path: 'delegation-token-1.json', token: T1 },
      { path: '/abs/delegation-token-2.json', token: T2 },
    ];
    const chain = await validateDelegationChain(chainInput(tokens));
    expect(chain.complete).toBe(true);
    expect(chain.requiredLinks).toBe(3);
    expect(chain.validDelegations).toBe(3);
    expect(chain.validTokenIds).toEqual(FIXTURES.map((f) => f.id));
    expect(chain.entries.every((e) => e.valid)).toBe(true);

    const stage = await evaluateDelegations(chainInput(tokens));
    expect(stage).toMatchObject({
      granted: true,
      verdict: null,
      exitCode: 0,
      reasonCodes: ['delegation_granted'],
      violations: [],
      delegationRef: '694428976ab1b10859171a05,7e37847cf7d9320eb0854cc8,8a715283a36e6b05e9287e12',
      validDelegations: 3,
    });
    expect(evaluateDelegationsSync(chainInput(tokens))).toEqual(stage);
  });

  it('dropping token 2: delegation_token_missing + delegation_chain_insufficient, block, exit 3', () => {
    const r = evaluateDelegationsSync(chainInput([{ path: '1', token: T1 }, { path: '3', token: T3 }]));
    expect(r).toMatchObject({
      granted: false,
      verdict: 'block',
      exitCode: 3,
      reasonCodes: ['delegation_chain_insufficient', 'delegation_token_missing'],
      violations: ['delegation_not_granted'],
      delegationRef: '',
      validDelegations: 2,
    });
    expect(r.entries).toContainEqual({
      delegator_identity: 'agent.manager',
      delegate_identity: 'agent.senior',
      expires_at: '0001-01-01T00:00:00Z',
      valid: false,
      error_code: 'delegation_token_missing',
    });
  });

  it('after 2036-02-16 every token is expired: the first unmatched link’s code', () => {
    const tokens = [{ path: '1', token: T1 }, { path: '2', token: T2 }, { path: '3', token: T3 }];
    const r = evaluateDelegationsSync(chainInput(tokens, { now: '2036-02-17T00:00:00Z' }));
    expect(r.reasonCodes).toEqual(['delegation_chain_insufficient', 'delegation_token_expired', 'delegation_token_missing']);
    expect(r.validDelegations).toBe(0);
    expect(r.entries.filter((e) => e.error_code === 'delegation_token_expired').map((e) => e.token_id)).toEqual(FIXTURES.map((f) => f.id));
  });

  it('the required scope `write` is satisfied by scope_class only; `read` is not', () => {
    const tokens = [{ path: '1', token: T1 }, { path: '2', token: T2 }, { path: '3', token: T3 }];
    // every link unmatched; unused tokens are judged against the first link (lead→manager)
    expect(evaluateDelegationsSync(chainInput(tokens, { requiredScopes: ['read'] })).reasonCodes).toEqual([
      'delegation_chain_insufficient',
      'delegation_token_delegator_mismatch',
      'delegation_token_missing',
      'delegation_token_scope_mismatch',
    ]);
    expect(evaluateDelegationsSync(chainInput(tokens, { requiredScopes: ['read', 'Write'] })).granted).toBe(true);
  });

  it('a wrong verify key makes every token signature_invalid', () => {
    const tokens = [{ path: '1', token: T1 }];
    const r = evaluateDelegationsSync(chainInput(tokens, { verifyKey: APPROVAL_PUB }));
    expect(r.reasonCodes).toContain('delegation_token_signature_invalid');
  });

  it('trace delegation_ref (§4.9) and binding digest', () => {
    const tokens = [{ path: '1', token: T1 }, { path: '2', token: T2 }, { path: '3', token: T3 }];
    const stage = evaluateDelegationsSync(chainInput(tokens));
    const ref = traceDelegationRef({
      delegation: CHAIN_INTENT.delegation,
      delegationRef: stage.delegationRef,
      reasonCodes: ['default_block', 'delegation_granted', 'allow_rule'],
    });
    expect(ref).toEqual({
      delegation_token_ref: stage.delegationRef,
      requester_identity: 'agent.worker',
      delegation_depth: 3,
      scope_class: 'write',
      chain_digest: delegationDigest(CHAIN_INTENT),
      reason_codes: ['delegation_granted'],
    });
    // without a granted chain: the first sorted intent token_ref
    expect(traceDelegationRef({ delegation: CHAIN_INTENT.delegation, delegationRef: '', reasonCodes: [] })?.delegation_token_ref).toBe('aa-ref');
    expect(traceDelegationRef({ delegation: undefined, reasonCodes: [] })).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens minted with the approval key pair (the only private key in the fixtures)

const T0 = '2026-05-01T10:00:00Z';
const BASE: MintDelegationTokenInput = {
  delegator: 'agent.lead',
  delegate: 'agent.specialist',
  scope: ['tool:tool.write'],
  scopeClass: 'write',
  ttl: '1h',
  now: T0,
  privateKey: APPROVAL_PRIV,
};
const mint = (over: Partial<MintDelegationTokenInput> = {}): DelegationToken => mintDelegationTokenSync({ ...BASE, ...over });
const AT = '2026-05-01T10:10:00Z';
const check = (token: DelegationToken, exp = {}, now = AT, key: Uint8Array | null = APPROVAL_PUB) =>
  validateDelegationTokenSync(token, exp, key, now);

describe('§4.6 single-token validation', () => {
  it('each code, in order', () => {
    const t = mint();
    expect(check(t).ok).toBe(true);
    expect(check({ ...t, schema_id: 'x' })).toMatchObject({ code: 'delegation_token_invalid', detail: 'unsupported schema_id: x' });
    expect(check({ ...t, delegate_identity: ' ' })).toMatchObject({
      code: 'delegation_token_invalid',
      detail: 'delegator_identity and delegate_identity are required',
    });
    expect(check({ ...t, intent_digest: 'x' })).toMatchObject({ detail: 'intent_digest must be sha256 hex when set' });
    expect(check({ ...t, policy_digest: 'x' })).toMatchObject({ detail: 'policy_digest must be sha256 hex when set' });
    expect(check({ ...t, scope: [] })).toMatchObject({ detail: 'scope is required' });
    expect(check({ ...t, expires_at: '' })).toMatchObject({ detail: 'expires_at is required' });
    expect(check(t, {}, AT, null)).toMatchObject({ code: 'delegation_token_signature_invalid', detail: 'verification public key is required' });
    const { signature: _s, ...unsigned } = t;
    expect(check(unsigned)).toMatchObject({ code: 'delegation_token_signature_missing' });
    expect(check({ ...t, scope_class: 'admin' })).toMatchObject({ code: 'delegation_token_signature_invalid', detail: 'signed_digest mismatch' });
    expect(check(t, {}, AT, DELEGATION_PUB)).toMatchObject({ code: 'delegation_token_signature_invalid', detail: 'key id mismatch' });
    expect(check({ ...t, signature: { ...t.signature!, alg: 'ES256' } })).toMatchObject({ detail: 'unsupported alg: ES256' });
    expect(check(t, {}, '2026-05-01T11:00:00Z')).toMatchObject({
      code: 'delegation_token_expired',
      error: 'delegation_token_expired: token expired',
    });
    expect(check(t, { delegator: 'agent.Lead' })).toMatchObject({ code: 'delegation_token_delegator_mismatch' });
    expect(check(t, { delegator: ' agent.lead ', delegate: 'agent.other' })).toMatchObject({ code: 'delegation_token_delegate_mismatch' });
    expect(check(t, { delegator: 'agent.lead', delegate: 'agent.specialist', requiredScopes: ['read'] })).toMatchObject({
      code: 'delegation_token_scope_mismatch',
    });
    // expiry (5) comes before the identity checks (6, 7)
    expect(check(t, { delegator: 'x', delegate: 'y' }, '2027-01-01T00:00:00Z')).toMatchObject({ code: 'delegation_token_expired' });
  });

  it('intent/policy bindings are checked only when both sides are set', () => {
    const unbound = mint();
    expect(check(unbound, { intentDigest: hex('a'), policyDigest: hex('b') }).ok).toBe(true);
    const bound = mint({ intentDigest: hex('A'), policyDigest: hex('b') });
    expect(bound.intent_digest).toBe(hex('a'));
    expect(check(bound).ok).toBe(true);
    expect(check(bound, { intentDigest: hex('a'), policyDigest: hex('b') }).ok).toBe(true);
    expect(check(bound, { intentDigest: hex('c'), policyDigest: hex('c') })).toMatchObject({ code: 'delegation_token_intent_mismatch' });
    expect(check(bound, { intentDigest: hex('a'), policyDigest: hex('c') })).toMatchObject({ code: 'delegation_token_policy_mismatch' });
    expect(check(bound, { intentDigest: hex('a'), policyDigest: hex('c'), requiredScopes: ['nope'] })).toMatchObject({
      code: 'delegation_token_policy_mismatch',
    });
  });

  it('scope: any required item, from scope or scope_class; `*` grants all', () => {
    expect(check(mint({ scopeClass: '' }), { requiredScopes: ['write'] })).toMatchObject({ code: 'delegation_token_scope_mismatch' });
    expect(check(mint({ scopeClass: '', scope: ['WRITE'] }), { requiredScopes: ['write'] }).ok).toBe(true);
    expect(check(mint({ scopeClass: '', scope: ['*'] }), { requiredScopes: ['admin'] }).ok).toBe(true);
    expect(check(mint({ scopeClass: ' Write ' }), { requiredScopes: ['read', 'write'] }).ok).toBe(true);
  });

  it('async and sync agree', async () => {
    const t = mint();
    expect(await validateDelegationToken(t, { delegate: 'x' }, APPROVAL_PUB, AT)).toEqual(check(t, { delegate: 'x' }));
  });
});

describe('§4.4 mint', () => {
  it('fields, token id, summary; signature verifies', async () => {
    const t = await mintDelegationToken({ ...BASE, scope: ['Tool:Tool.Write', 'tool:tool.write'], scopeClass: ' WRITE ', now: '2026-05-01T12:00:00.25+02:00' });
    expect(t.created_at).toBe('2026-05-01T10:00:00.25Z');
    expect(t.expires_at).toBe('2026-05-01T11:00:00.25Z');
    expect(t.scope).toEqual(['tool:tool.write']);
    expect(t.scope_class).toBe('write');
    expect(t.token_id).toBe(sha256Hex('agent.lead:agent.specialist:tool:tool.write:write:::2026-05-01T11:00:00.25Z').slice(0, 24));
    expect(check(t).ok).toBe(true);
    expect(Object.keys(delegationTokenPayload(t))).toEqual([
      'schema_id', 'schema_version', 'created_at', 'producer_version', 'token_id', 'delegator_identity',
      'delegate_identity', 'scope', 'scope_class', 'expires_at',
    ]);
    expect(delegationTokenSummary(t, 'signed delegation token created')).toEqual({
      token_id: t.token_id,
      delegator_identity: 'agent.lead',
      delegate_identity: 'agent.specialist',
      scope: ['tool:tool.write'],
      scope_class: 'write',
      expires_at: '2026-05-01T11:00:00Z',
      key_id: keyId(APPROVAL_PUB),
      description: 'signed delegation token created',
    });
    expect(parseDelegationToken(serializeDelegationToken(t))).toEqual(t);
  });

  it('errors', () => {
    const err = (over: Partial<MintDelegationTokenInput>): string => thrown(() => mint(over)).message;
    expect(err({ privateKey: undefined })).toBe('signing private key is required');
    expect(err({ ttl: '0' })).toBe('ttl must be greater than 0');
    expect(err({ ttl: 'soon' })).toBe('invalid --ttl, expected positive duration');
    expect(err({ delegator: ' ', scope: [] })).toBe('delegator and delegate identities are required');
    expect(err({ scope: [' '] })).toBe('scope must include at least one value');
    expect(err({ intentDigest: 'x', policyDigest: 'y' })).toBe('intent_digest must be sha256 hex when set');
    expect(err({ policyDigest: 'y' })).toBe('policy_digest must be sha256 hex when set');
  });
});

describe('§4.7/§4.8 chains with minted tokens (cli.md §12.3 e2e expectations)', () => {
  const twoHop = intent({
    tool_name: 'tool.write',
    args: {},
    targets: [{ kind: 'path', value: '/tmp/x', operation: 'write' }],
    context: { identity: 'agent.specialist', workspace: '/repo', risk_class: 'high' },
    delegation: {
      requester_identity: 'agent.specialist',
      scope_class: 'write',
      chain: [
        { delegator_identity: 'agent.lead', delegate_identity: 'agent.manager', scope_class: 'write' },
        { delegator_identity: 'agent.manager', delegate_identity: 'agent.specialist', scope_class: 'write' },
      ],
    },
  });
  const input = (tokens: DelegationToken[], over: Partial<DelegationChainInput> = {}): DelegationChainInput => ({
    delegation: twoHop.delegation,
    tokens: tokens.map((token, i) => ({ path: `token-${i}.json`, token })),
    verifyKey: APPROVAL_PUB,
    now: AT,
    requiredScopes: ['write'],
    intentDigest: twoHop.intent_digest,
    policyDigest: hex('b'),
    ...over,
  });

  it('TestCLIGateRejectsPartialDelegationChain: valid_delegations 1, chain_insufficient + token_missing', () => {
    const r = evaluateDelegationsSync(input([mint({ delegator: 'agent.manager', delegate: 'agent.specialist' })]));
    expect(r.verdict).toBe('block');
    expect(r.exitCode).toBe(3);
    expect(r.validDelegations).toBe(1);
    expect(r.reasonCodes).toEqual(['delegation_chain_insufficient', 'delegation_token_missing']);
    expect(r.violations).toEqual(['delegation_not_granted']);
  });

  it('TestCLIGateRejectsDelegationScopeMismatch: valid_delegations 0, scope_mismatch', () => {
    const single = intent({
      tool_name: 'tool.write',
      args: {},
      context: { identity: 'agent.specialist', workspace: '/repo', risk_class: 'high' },
      delegation: {
        requester_identity: 'agent.specialist',
        scope_class: 'write',
        chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.specialist', scope_class: 'write' }],
      },
    });
    const token = mint({ scope: ['tool:tool.read'], scopeClass: 'read' });
    const r = evaluateDelegationsSync(input([token], { delegation: single.delegation }));
    expect(r.validDelegations).toBe(0);
    expect(r.verdict).toBe('block');
    expect(r.reasonCodes).toEqual(['delegation_chain_insufficient', 'delegation_token_missing', 'delegation_token_scope_mismatch']);
  });

  it('full chain granted; a surplus token’s code stays in the audit only (chain_mismatch)', () => {
    const a = mint({ delegator: 'agent.lead', delegate: 'agent.manager' });
    const b = mint({ delegator: 'agent.manager', delegate: 'agent.specialist' });
    const extra = mint({ delegator: 'agent.x', delegate: 'agent.y' });
    const r = evaluateDelegationsSync(input([b, extra, a]));
    expect(r.granted).toBe(true);
    expect(r.reasonCodes).toEqual(['delegation_granted']);
    expect(r.delegationRef).toBe([a.token_id, b.token_id].sort().join(','));
    expect(r.entries.find((e) => e.token_id === extra.token_id)).toMatchObject({ valid: false, error_code: 'delegation_token_chain_mismatch' });
  });

  it('a token is consumed once; a second link cannot reuse it', () => {
    const a = mint({ delegator: 'agent.lead', delegate: 'agent.manager' });
    const r = validateDelegationChainSync(input([a, a]));
    // two paths, same token: the second copy does not match hop 2 (delegator mismatch)
    expect(r.validDelegations).toBe(1);
    expect(r.entries.filter((e) => !e.valid).map((e) => e.error_code).sort()).toEqual([
      'delegation_token_delegator_mismatch',
      'delegation_token_missing',
    ]);
  });

  it('no chain: one synthetic link {any delegator → requester}', () => {
    const bare = intent({
      tool_name: 'tool.write',
      args: {},
      context: { identity: 'agent.specialist', workspace: '/repo', risk_class: 'high' },
      delegation: { requester_identity: 'agent.specialist', scope_class: 'write' },
    });
    const ok = evaluateDelegationsSync(input([mint({ delegator: 'anyone' })], { delegation: bare.delegation }));
    expect(ok.granted).toBe(true);
    expect(ok.requiredLinks).toBe(1);
    const bad = evaluateDelegationsSync(input([mint({ delegate: 'agent.other' })], { delegation: bare.delegation }));
    expect(bad.reasonCodes).toEqual(['delegation_chain_insufficient', 'delegation_token_delegate_mismatch', 'delegation_token_missing']);
    expect(bad.entries.find((e) => e.error_code === 'delegation_token_missing')).toEqual({
      delegate_identity: 'agent.specialist',
      expires_at: '0001-01-01T00:00:00Z',
      valid: false,
      error_code: 'delegation_token_missing',
    });
  });

  it('no tokens: block delegation_token_missing; no delegation block: incomplete and empty', () => {
    const none = evaluateDelegationsSync(input([]));
    expect(none).toMatchObject({ verdict: 'block', exitCode: 3, reasonCodes: ['delegation_token_missing'], violations: ['delegation_not_granted'] });
    const r = evaluateDelegationsSync(input([mint()], { delegation: undefined }));
    expect(r.reasonCodes).toEqual(['delegation_chain_insufficient']);
    expect(r.entries).toEqual([]);
  });

  it('async chain equals sync chain', async () => {
    const tokens = [mint({ delegator: 'agent.manager', delegate: 'agent.specialist' }), mint({ scope: ['x'], scopeClass: 'x' })];
    expect(await validateDelegationChain(input(tokens))).toEqual(validateDelegationChainSync(input(tokens)));
  });

  it('too many tokens is a clear invalid-input error', () => {
    const t = mint();
    expect(thrown(() => evaluateDelegationsSync(input(Array.from({ length: 300 }, () => t)))).message).toBe(
      'too many delegation tokens: 300 (max 256)',
    );
  });

  it('§6.2 audit record', () => {
    const b = mint({ delegator: 'agent.manager', delegate: 'agent.specialist' });
    const stage = evaluateDelegationsSync(input([b]));
    const record = buildDelegationAuditRecord({
      createdAt: '',
      now: '2026-05-01T10:10:00.5Z',
      traceId: 'tr1',
      toolName: 'tool.write',
      intentDigest: twoHop.intent_digest,
      policyDigest: hex('B'),
      delegationRequired: true,
      delegationRef: stage.delegationRef,
      entries: stage.entries,
    });
    expect(Object.keys(record)).toEqual([
      'schema_id', 'schema_version', 'created_at', 'producer_version', 'trace_id', 'tool_name', 'intent_digest',
      'policy_digest', 'delegation_required', 'valid_delegations', 'delegated', 'relationship', 'entries',
    ]);
    expect(record.schema_id).toBe('gait.gate.delegation_audit_record');
    expect(record.created_at).toBe('2026-05-01T10:10:00.5Z');
    expect(record.valid_delegations).toBe(1);
    expect(record.delegated).toBe(true); // true even for an incomplete chain
    expect(record.entries.map((e) => `${e.delegator_identity}>${e.delegate_identity}`)).toEqual([
      'agent.lead>agent.manager',
      'agent.manager>agent.specialist',
    ]);
    expect(record.relationship.agent_chain).toEqual([
      { identity: 'agent.manager', role: 'delegate' },
      { identity: 'agent.specialist', role: 'delegate' },
      { identity: 'agent.lead', role: 'delegator' },
      { identity: 'agent.manager', role: 'delegator' },
    ]);
    expect(record.relationship.edges).toEqual([
      { kind: 'delegates_to', from: { kind: 'agent', id: 'agent.lead' }, to: { kind: 'agent', id: 'agent.manager' } },
      { kind: 'delegates_to', from: { kind: 'agent', id: 'agent.manager' }, to: { kind: 'agent', id: 'agent.specialist' } },
      { kind: 'governed_by', from: { kind: 'tool', id: 'tool.write' }, to: { kind: 'policy', id: hex('b') } },
    ]);
    expect(record.relationship.entity_refs?.map((r) => `${r.kind}:${r.id}`)).toEqual([
      'agent:agent.lead',
      'agent:agent.manager',
      'agent:agent.specialist',
      `policy:${hex('b')}`,
      'tool:tool.write',
      'trace:tr1',
    ]);
    const granted = buildDelegationAuditRecord({
      createdAt: '2026-05-01T10:00:00Z',
      now: AT,
      traceId: 'tr1',
      toolName: 'tool.write',
      intentDigest: '',
      policyDigest: '',
      delegationRequired: true,
      delegationRef: 'abc',
      entries: [],
    });
    expect(Object.keys(granted)).toContain('delegation_ref');
    expect(granted.delegated).toBe(false);
  });
});

describe('a foreign key pair', () => {
  it('tokens signed by another key do not validate with the configured key', () => {
    const other = generateKeyPair();
    const t = mint({ privateKey: other.privateKey });
    expect(check(t)).toMatchObject({ code: 'delegation_token_signature_invalid' });
    expect(check(t, {}, AT, other.publicKey).ok).toBe(true);
  });
});
