import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GaitError } from '../../bindings/errors.js';
import { digestJson } from '../../bindings/canonical/sha256.js';
import { generateKeyPair } from '../../bindings/crypto/ed25519.js';
import { keyId, parsePrivateKey, parsePublicKey, resolveSigningKey } from '../../bindings/crypto/keys.js';
import {
  buildTraceRecord,
  buildTraceRelationship,
  eventId,
  goRfc3339Nano,
  projectTraceRecord,
  serializeTrace,
  signTrace,
  signTraceSync,
  traceId,
  verifyTrace,
  type TraceInput,
  type TraceIntent,
} from '../../bindings/crypto/trace.js';

const FIXTURES = new URL('../fixtures/gait/', import.meta.url);
const text = (rel: string): Promise<string> => readFile(new URL(rel, FIXTURES), 'utf8');

const STRUCT_ORDER = [
  'schema_id', 'schema_version', 'created_at', 'observed_at', 'producer_version', 'trace_id', 'event_id',
  'correlation_id', 'tool_name', 'args_digest', 'intent_digest', 'policy_digest', 'policy_id', 'policy_version',
  'matched_rule_ids', 'verdict', 'context_set_digest', 'context_evidence_mode', 'context_ref_count', 'context_source',
  'script', 'step_count', 'script_hash', 'composite_risk_class', 'step_verdicts', 'pre_approved', 'pattern_id',
  'registry_reason', 'violations', 'latency_ms', 'approval_token_ref', 'delegation_ref', 'mcp_trust', 'relationship',
  'skill_provenance', 'signature',
];

const P_EXT = 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c';
const I_EXT = '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8';
const D64 = 'ab'.repeat(32);

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function minimalInput(): TraceInput {
  return {
    createdAt: '2026-02-18T10:00:00Z',
    observedAt: '2026-02-18T10:00:01.123456789Z',
    producerVersion: '0.0.0-dev',
    toolName: 'tool.write',
    argsDigest: D64,
    intentDigest: I_EXT,
    policyDigest: P_EXT,
    verdict: 'block',
    relationship: null,
  };
}

const intent: TraceIntent = {
  tool_name: 'tool.write',
  args: { path: '/tmp/out.txt' },
  args_digest: '',
  context: {
    identity: 'alice',
    session_id: 'sess-1',
    context_set_digest: '',
    context_evidence_mode: '',
    context_refs: [],
  },
  delegation: undefined,
  skill_provenance: undefined,
};

describe('trace identifiers', () => {
  it.each([
    [P_EXT, I_EXT, 'block', '9a714d67a491c4bd98dd7983'],
    ['65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f', 'dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e', 'allow', 'bc8098b4666bf6fb681f3b5c'],
    ['3592f5ae672a396845ca29c14ade912f99cb1fca99cecb8edd9cfec74eae8a35', 'dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e', 'block', '1df3311658dfdcc577d53235'],
    ['07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9', 'dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e', 'require_approval', '9619f3b8927b7e6b8c039a25'],
    ['07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9', '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913', 'allow', '8a640148677956eba29ff9cf'],
    ['07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9', '5560b84bd90ae0b84079bd0125a27d74750fb25f55a62a12a6b718eaca3dca51', 'require_approval', '42b8fda926c20be7e617f899'],
  ])('traceId(%s, %s, %s) = %s', (p, i, v, expected) => {
    expect(traceId(p, i, v)).toBe(expected);
  });

  it('eventId = first 12 bytes of sha256(<trace_id>:<observed_at RFC3339Nano>)', () => {
    const tid = '9a714d67a491c4bd98dd7983';
    expect(eventId(tid, '2026-02-18T10:00:01.5Z')).toBe(sha(`${tid}:2026-02-18T10:00:01.5Z`).slice(0, 24));
    // Re-rendered the way Go prints the time first.
    expect(eventId(tid, '2026-02-18T10:00:01.500+00:00')).toBe(eventId(tid, '2026-02-18T10:00:01.5Z'));
    expect(eventId(tid, new Date(Date.UTC(2026, 1, 18, 10, 0, 1, 500)))).toBe(eventId(tid, '2026-02-18T10:00:01.5Z'));
  });

  it('RFC3339Nano rendering', () => {
    expect(goRfc3339Nano('2026-02-18T19:13:04.953970Z')).toBe('2026-02-18T19:13:04.95397Z');
    expect(goRfc3339Nano('2026-02-18T19:13:04.000Z')).toBe('2026-02-18T19:13:04Z');
    expect(goRfc3339Nano('2026-02-18T19:13:04-00:00')).toBe('2026-02-18T19:13:04Z');
    expect(goRfc3339Nano('2026-02-18T19:13:04.10+02:00')).toBe('2026-02-18T19:13:04.1+02:00');
    expect(goRfc3339Nano('2026-02-30T19:13:04Z')).toBeUndefined();
    expect(goRfc3339Nano('2026-02-18 19:13:04Z')).toBeUndefined();
    expect(goRfc3339Nano('2026-02-18T19:13Z')).toBeUndefined();
    expect(goRfc3339Nano('2026-02-18T19:13:04.1234567890Z')).toBeUndefined();
  });
});

describe('buildTraceRecord', () => {
  it('minimal record: required members plus observed_at and event_id; nothing else (no empty violations: Gait omits them)', () => {
    const r = buildTraceRecord(minimalInput());
    expect(Object.keys(r)).toEqual([
      'schema_id', 'schema_version', 'created_at', 'observed_at', 'producer_version', 'trace_id', 'event_id',
      'tool_name', 'args_digest', 'intent_digest', 'policy_digest', 'verdict',
    ]);
    expect(r.schema_id).toBe('gait.gate.trace');
    expect(r.schema_version).toBe('1.0.0');
    expect(r.trace_id).toBe('9a714d67a491c4bd98dd7983');
    expect(r.observed_at).toBe('2026-02-18T10:00:01.123456789Z');
    expect(r.event_id).toBe(sha('9a714d67a491c4bd98dd7983:2026-02-18T10:00:01.123456789Z').slice(0, 24));
    expect(r.violations).toBeUndefined();
  });

  it('full record: every member in struct order', () => {
    const r = buildTraceRecord({
      ...minimalInput(),
      correlationId: 'c0ffee',
      policyId: 'gait.gate.policy',
      policyVersion: '1.0.0',
      contextSetDigest: D64,
      contextEvidenceMode: 'required',
      contextRefCount: 2,
      contextSource: 'context_envelope',
      script: true,
      stepCount: 2,
      scriptHash: D64,
      compositeRiskClass: 'medium',
      stepVerdicts: [
        { index: 0, tool_name: 'tool.read', verdict: 'allow', reason_codes: [], violations: [], matched_rule: '' },
        { index: 1, tool_name: 'tool.write', verdict: 'block', reason_codes: ['blocked'], violations: ['v'], matched_rule: 'rule-b,rule-a' },
      ],
      preApproved: true,
      patternId: 'pattern_x',
      registryReason: 'approved_script_match',
      violations: ['z', 'a', 'a'],
      latencyMs: 1.25,
      approvalTokenRef: 'tok',
      delegationRef: { delegation_token_ref: 'd1', requester_identity: 'agent.worker', delegation_depth: 3 },
      mcpTrust: { server: 'x' },
      relationship: undefined,
      intent,
      skillProvenance: { skill_name: 's', source: 'registry', publisher: 'Acme', skill_version: '' },
    });
    const signed = signTraceSync(r, generateKeyPair().privateKey);
    expect(Object.keys(signed)).toEqual(STRUCT_ORDER);
    expect(r.matched_rule_ids).toEqual(['rule-a', 'rule-b']);
    expect(r.violations).toEqual(['a', 'z']);
    expect(r.step_verdicts).toEqual([
      { index: 0, tool_name: 'tool.read', verdict: 'allow' },
      { index: 1, tool_name: 'tool.write', verdict: 'block', reason_codes: ['blocked'], violations: ['v'], matched_rule: 'rule-b,rule-a' },
    ]);
    expect(r.skill_provenance).toEqual({ skill_name: 's', source: 'registry', publisher: 'Acme' });
    expect(Object.keys(r.skill_provenance!)).toEqual(['skill_name', 'source', 'publisher']);
  });

  it('derives tool name, args digest and context fields from the prepared intent', () => {
    const r = buildTraceRecord({
      createdAt: '1980-01-01T00:00:00Z',
      observedAt: '2026-02-18T10:00:01Z',
      intent: { ...intent, context: { ...intent.context, context_set_digest: D64, context_evidence_mode: 'best_effort', context_refs: ['a', 'b', 'c'] } },
      intentDigest: I_EXT,
      policyDigest: P_EXT,
      verdict: 'block',
    });
    expect(r.tool_name).toBe('tool.write');
    expect(r.args_digest).toBe(digestJson({ path: '/tmp/out.txt' }));
    expect(r.context_set_digest).toBe(D64);
    expect(r.context_evidence_mode).toBe('best_effort');
    expect(r.context_ref_count).toBe(3);
    expect(r.producer_version).toBe('0.0.0-dev');
  });

  it('relationship: session parent, sorted entity refs, policy ref, requester, calls + governed_by', () => {
    const r = buildTraceRecord({
      createdAt: '2026-02-18T10:00:00Z',
      observedAt: '2026-02-18T10:00:01Z',
      intent,
      intentDigest: I_EXT,
      policyDigest: P_EXT,
      policyId: 'gait.gate.policy',
      policyVersion: '1.0.0',
      verdict: 'block',
    });
    expect(r.relationship).toEqual({
      parent_ref: { kind: 'session', id: 'sess-1' },
      entity_refs: [
        { kind: 'agent', id: 'alice' },
        { kind: 'policy', id: P_EXT },
        { kind: 'tool', id: 'tool.write' },
        { kind: 'trace', id: '9a714d67a491c4bd98dd7983' },
      ],
      policy_ref: { policy_id: 'gait.gate.policy', policy_version: '1.0.0', policy_digest: P_EXT },
      agent_chain: [{ identity: 'alice', role: 'requester' }],
      edges: [
        { kind: 'calls', from: { kind: 'agent', id: 'alice' }, to: { kind: 'tool', id: 'tool.write' } },
        { kind: 'governed_by', from: { kind: 'tool', id: 'tool.write' }, to: { kind: 'policy', id: P_EXT } },
      ],
      // Gait v1.3.6: the entity refs' ids, sorted; not the session id (issue 10 case 04).
      related_entity_ids: ['9a714d67a491c4bd98dd7983', 'alice', P_EXT, 'tool.write'],
    });
    expect(Object.keys(r.relationship!)).toEqual(['parent_ref', 'entity_refs', 'policy_ref', 'agent_chain', 'edges', 'related_entity_ids']);
  });

  it('relationship and delegation_ref with a delegation chain', () => {
    const delegated: TraceIntent = {
      ...intent,
      context: { identity: 'agent.worker' },
      delegation: {
        requester_identity: 'agent.worker',
        scope_class: 'write',
        token_refs: ['t2', 't1'],
        chain: [
          { delegator_identity: 'agent.lead', delegate_identity: 'agent.manager' },
          { delegator_identity: 'agent.manager', delegate_identity: 'agent.worker' },
        ],
      },
    };
    const r = buildTraceRecord({
      createdAt: '2026-02-18T10:00:00Z',
      observedAt: '2026-02-18T10:00:01Z',
      intent: delegated,
      intentDigest: I_EXT,
      policyDigest: P_EXT,
      verdict: 'allow',
      delegationChainDigest: D64,
      reasonCodes: ['delegation_granted', 'approval_granted', 'delegation_token_expired'],
    });
    expect(r.delegation_ref).toEqual({
      delegation_token_ref: 't1',
      requester_identity: 'agent.worker',
      delegation_depth: 2,
      scope_class: 'write',
      chain_digest: D64,
      reason_codes: ['delegation_granted', 'delegation_token_expired'],
    });
    expect(r.relationship!.parent_ref).toBeUndefined();
    expect(r.relationship!.agent_chain).toEqual([
      { identity: 'agent.manager', role: 'delegate' },
      { identity: 'agent.worker', role: 'delegate' },
      { identity: 'agent.lead', role: 'delegator' },
      { identity: 'agent.manager', role: 'delegator' },
      { identity: 'agent.worker', role: 'requester' },
    ]);
    expect(r.relationship!.edges!.map((e) => `${e.kind}:${e.from.id}->${e.to.id}`)).toEqual([
      'calls:agent.worker->tool.write',
      'delegates_to:agent.lead->agent.manager',
      'delegates_to:agent.manager->agent.worker',
      `governed_by:tool.write->${P_EXT}`,
    ]);
    const withRef = buildTraceRecord({
      createdAt: '2026-02-18T10:00:00Z',
      observedAt: '2026-02-18T10:00:01Z',
      intent: delegated,
      intentDigest: I_EXT,
      policyDigest: P_EXT,
      verdict: 'allow',
      delegationTokenRef: 'a,b,c',
    });
    expect(withRef.delegation_ref).toEqual({
      delegation_token_ref: 'a,b,c',
      requester_identity: 'agent.worker',
      delegation_depth: 2,
      scope_class: 'write',
    });
  });

  it('buildTraceRelationship drops empty ids and returns undefined when nothing is left', () => {
    expect(buildTraceRelationship({ traceId: '', toolName: '', policyDigest: '' })).toBeUndefined();
    const rel = buildTraceRelationship({ traceId: 't', toolName: 'tool', policyDigest: '' });
    expect(rel).toEqual({ entity_refs: [{ kind: 'tool', id: 'tool' }, { kind: 'trace', id: 't' }], related_entity_ids: ['t', 'tool'] });
  });
});

describe('signing, verification and serialization', () => {
  it('signs with the fixture key and verifies from the serialized file', async () => {
    const priv = parsePrivateKey(await text('scenarios/keys/approval_private.key'));
    const pub = parsePublicKey(await text('scenarios/keys/approval_public.key'));
    const record = buildTraceRecord({ ...minimalInput(), relationship: undefined, intent, latencyMs: 0.5 });
    const signed = await signTrace(record, priv);
    expect(Object.keys(signed).at(-1)).toBe('signature');
    expect(signed.signature!.key_id).toBe('8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52');
    expect(signed.signature!.signed_digest).toBe(digestJson(record));
    // Deterministic: the sync path gives the same bytes.
    expect(signTraceSync(record, priv)).toEqual(signed);
    const file = serializeTrace(signed);
    const result = await verifyTrace(file, pub);
    expect(result).toEqual({
      ok: true,
      trace_id: '9a714d67a491c4bd98dd7983',
      verdict: 'block',
      signature_status: 'verified',
      key_id: '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52',
    });
    // A VerifyKey object works too, and re-signing a signed record replaces the signature.
    expect((await verifyTrace(file, { publicKey: pub, keyId: keyId(pub) })).ok).toBe(true);
    expect(await signTrace(signed, priv)).toEqual(signed);
  });

  it('tampering (e.g. flipping the verdict) fails with signature_status "failed"', async () => {
    const { privateKey, publicKey } = generateKeyPair();
    const signed = await signTrace(buildTraceRecord(minimalInput()), privateKey);
    const file = serializeTrace(signed);
    const flipped = file.replace('"verdict": "block"', '"verdict": "allow"');
    expect(flipped).not.toBe(file);
    const r = await verifyTrace(flipped, publicKey);
    expect(r).toMatchObject({ ok: false, verdict: 'allow', signature_status: 'failed', error: 'signed_digest mismatch' });
    // Unknown members are not part of the signed bytes (Go drops them when decoding).
    const extra = JSON.parse(file);
    extra.unknown_member = 1;
    expect((await verifyTrace(JSON.stringify(extra), publicKey)).ok).toBe(true);
    // Equivalent timestamp spellings verify (Go re-renders RFC3339Nano).
    const respelled = file.replace('"created_at": "2026-02-18T10:00:00Z"', '"created_at": "2026-02-18T10:00:00.000+00:00"');
    expect(respelled).not.toBe(file);
    expect((await verifyTrace(respelled, publicKey)).ok).toBe(true);
    // A forged signature over the tampered record fails at the signature.
    const forged = JSON.parse(flipped);
    forged.signature.signed_digest = digestJson({ ...forged, signature: undefined });
    // Gait v1.3.6 reports a well-formed signature that does not hold with key_id and no error (issue 10 S11).
    const forgedResult = await verifyTrace(JSON.stringify(forged), publicKey);
    expect(forgedResult).toEqual({ ok: false, trace_id: forged.trace_id, verdict: 'allow', signature_status: 'failed', key_id: keyId(publicKey) });
  });

  it('dev-mode traces do not verify with another key', async () => {
    const dev = await resolveSigningKey({ mode: 'dev' }, { readFile: async () => '', env: () => undefined });
    const signed = await signTrace(buildTraceRecord(minimalInput()), dev.privateKey);
    const other = generateKeyPair().publicKey;
    const r = await verifyTrace(serializeTrace(signed), other);
    // No key_id before the signature check is reached (Gait v1.3.6, issue 10 S02).
    expect(r).toMatchObject({ ok: false, signature_status: 'failed', error: 'key id mismatch' });
    expect(r.key_id).toBeUndefined();
  });

  it('missing signature, unparseable input', async () => {
    const { publicKey } = generateKeyPair();
    const unsigned = serializeTrace(buildTraceRecord(minimalInput()));
    // Gait v1.3.6's wording, and no key_id (issue 10 S10).
    expect(await verifyTrace(unsigned, publicKey)).toEqual({ ok: false, trace_id: '9a714d67a491c4bd98dd7983', verdict: 'block', signature_status: 'failed', error: 'trace signature missing' });
    await expect(verifyTrace('{not json', publicKey)).rejects.toBeInstanceOf(GaitError);
    await expect(verifyTrace('[]', publicKey)).rejects.toThrow('parse trace record: expected a JSON object');
    await expect(verifyTrace('{"created_at":"yesterday"}', publicKey)).rejects.toThrow('parse trace record: parsing time "yesterday" as RFC3339');
    await expect(verifyTrace('{"step_count":"2"}', publicKey)).rejects.toThrow('parse trace record: step_count: expected integer');
  });

  it('serializes as 2-space JSON in struct order with Go escaping and a trailing newline', () => {
    const record = buildTraceRecord({ ...minimalInput(), toolName: 'a<b>&c\u2028', violations: ['x'] });
    const out = serializeTrace(record);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).toContain('\n  "tool_name": "a\\u003cb\\u003e\\u0026c\\u2028",\n');
    expect(out).toContain('\n  "violations": [\n    "x"\n  ]\n');
    expect(JSON.parse(out)).toEqual(record);
    expect(serializeTrace(buildTraceRecord(minimalInput()))).not.toContain('"violations"');
  });

  it('projectTraceRecord is idempotent on built records', () => {
    const r = buildTraceRecord({ ...minimalInput(), relationship: undefined, intent, stepVerdicts: [{ index: 0, tool_name: 't', verdict: 'allow' }] });
    expect(projectTraceRecord(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(Object.keys(projectTraceRecord(JSON.parse(JSON.stringify(r))))).toEqual(Object.keys(r));
  });
});
