import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../bindings/canonical/jcs.js';
import { sha256Hex } from '../../bindings/canonical/sha256.js';
import { generateKeyPair } from '../../bindings/crypto/ed25519.js';
import { signedDigest } from '../../bindings/crypto/signed-json.js';
import {
  CONTEXT_EVIDENCE_WARNING,
  isRegistryFailClosed,
  listRegistryEntries,
  matchApprovedScript,
  matchApprovedScriptIntent,
  mintRegistryEntry,
  mintRegistryEntrySync,
  parseRegistry,
  preApprovedOutcome,
  readRegistry,
  registryEntryPayload,
  registryFailureDecision,
  serializeRegistry,
  upsertRegistryEntry,
  verifyRegistry,
  verifyRegistryEntry,
  verifyRegistryEntrySync,
  verifyRegistrySync,
  type ApprovedScriptEntry,
  type ApprovedScriptRegistry,
  type MintRegistryEntryInput,
} from '../../bindings/tokens/index.js';
import { APPROVAL_KEY_ID, APPROVAL_PRIV, APPROVAL_PUB, hex, intent, rejected, thrown } from './helpers.js';

// §8 item 4: the approved-registry-signature-mismatch-high-risk scenario
const POLICY = '44ae19688443915c381be9f806b7fc9ddb2736d286c4e40464b7575a874e9420';
const ORIGINAL_HASH = 'a0dce61c1eb7cf56c8ec32292df93ff2df4229d6847c18b714fa72dc440adf25';
const CURRENT_HASH = '4a132cd1a51cc226c73b0cbae9528905fbbaa80b7fe06bb632a62d9647001c11';
const STORED_DIGEST = '1e19eb1f8f11a450139cbe01ad9081be99a455c51157ed5f9793e08dc613dce1';
const TAMPERED_DIGEST = '55227f9e82e4b1a3dbb19896cf1c248fb106f6fae2032e4d820a3cb85dc10086';
const UNTAMPERED_CANONICAL =
  '{"approver_identity":"secops","created_at":"2026-02-20T02:31:28.283948Z","expires_at":"2026-02-27T02:31:28.283948Z","pattern_id":"pattern_a0dce61c1eb7","policy_digest":"44ae19688443915c381be9f806b7fc9ddb2736d286c4e40464b7575a874e9420","producer_version":"0.0.0-dev","schema_id":"gait.gate.approved_script_entry","schema_version":"1.0.0","script_hash":"a0dce61c1eb7cf56c8ec32292df93ff2df4229d6847c18b714fa72dc440adf25","tool_sequence":["tool.read","tool.write"]}';
const OLD_SCRIPT_CANONICAL =
  '{"steps":[{"args":{"path":"/tmp/input.txt"},"targets":[{"endpoint_class":"fs.read","kind":"path","operation":"read","value":"/tmp/input.txt"}],"tool_name":"tool.read"},{"args":{"path":"/tmp/output.txt"},"targets":[{"endpoint_class":"fs.write","kind":"path","operation":"write","value":"/tmp/output.txt"}],"tool_name":"tool.write"}]}';

const FIXTURE_MINT: MintRegistryEntryInput = {
  policyDigest: POLICY,
  scriptHash: ORIGINAL_HASH,
  toolSequence: ['tool.read', 'tool.write'],
  approver: 'secops',
  ttl: '168h',
  now: '2026-02-20T02:31:28.283948Z',
  privateKey: APPROVAL_PRIV,
};
const BEFORE_EXPIRY = '2026-02-25T00:00:00Z';
const AFTER_EXPIRY = '2026-03-01T00:00:00Z';

const SCRIPT_INTENT = {
  tool_name: 'script',
  args: {},
  context: { identity: 'agent', workspace: '/repo', risk_class: 'high' },
  script: {
    steps: [
      { tool_name: 'tool.read', args: { path: '/tmp/input.txt' }, targets: [{ kind: 'path', value: '/tmp/input.txt', operation: 'read' }] },
      { tool_name: 'tool.write', args: { path: '/tmp/output.txt' }, targets: [{ kind: 'path', value: '/tmp/output.txt', operation: 'write' }] },
    ],
  },
};

describe('§8 item 4: approved-script registry vectors', () => {
  it('the reconstructed untampered entry: canonical bytes, stored digest, signature', async () => {
    const entry = await mintRegistryEntry(FIXTURE_MINT);
    expect(entry.pattern_id).toBe('pattern_a0dce61c1eb7');
    expect(entry.expires_at).toBe('2026-02-27T02:31:28.283948Z');
    expect(canonicalize(registryEntryPayload(entry))).toBe(UNTAMPERED_CANONICAL);
    expect(entry.signature).toMatchObject({ alg: 'ed25519', key_id: APPROVAL_KEY_ID, signed_digest: STORED_DIGEST });
    expect(await verifyRegistryEntry(entry, APPROVAL_PUB, BEFORE_EXPIRY)).toBeUndefined();
    expect(mintRegistryEntrySync(FIXTURE_MINT).signature).toEqual(entry.signature);
  });

  it('that script hash is the pre-discovery_method normalization; today it is 4a132cd1…', () => {
    expect(sha256Hex(OLD_SCRIPT_CANONICAL)).toBe(ORIGINAL_HASH);
    expect(intent(SCRIPT_INTENT).script_hash).toBe(CURRENT_HASH);
  });

  it('the tampered file: signed_digest mismatch before expiry, "expired" after (expiry is checked first)', async () => {
    const signed = mintRegistryEntrySync(FIXTURE_MINT);
    const file = serializeRegistry({ entries: [{ ...signed, script_hash: 'f'.repeat(64) }] });
    const registry = parseRegistry(file);
    expect(signedDigest(registryEntryPayload(registry.entries[0]!))).toBe(TAMPERED_DIGEST);
    expect(registry.entries[0]!.signature?.signed_digest).toBe(STORED_DIGEST);

    const before = await verifyRegistry(registry, APPROVAL_PUB, BEFORE_EXPIRY);
    expect(before).toEqual({ ok: false, index: 0, error: 'verify approved script entry signature: signed_digest mismatch' });
    const after = verifyRegistrySync(registry, APPROVAL_PUB, AFTER_EXPIRY);
    expect(after).toEqual({ ok: false, index: 0, error: 'approved script entry is expired' });

    // high risk → fail closed, exit 3 (policy_blocked)
    const failClosed = isRegistryFailClosed('standard', intent(SCRIPT_INTENT).context.risk_class);
    expect(failClosed).toBe(true);
    const decision = registryFailureDecision('entry_verification_failed', { failClosed, entryIndex: before.ok ? 0 : before.index, detail: before.ok ? '' : before.error });
    expect(decision.failClosed).toBe(true);
    if (decision.failClosed) {
      expect(decision.error.category).toBe('policy_blocked');
      expect(decision.error.message).toBe('approved script registry verification failed at entry 0: verify approved script entry signature: signed_digest mismatch');
      expect(decision.error.message).toContain('approved script registry verification failed at entry 0');
    }
  });
});

// ---------------------------------------------------------------------------------------------

const NOW = '2026-05-01T10:00:00Z';
const LATER = '2026-05-02T10:00:00Z';
const BASE: MintRegistryEntryInput = {
  policyDigest: hex('b'),
  scriptHash: hex('c'),
  toolSequence: ['tool.read', 'tool.write'],
  approver: 'secops',
  now: NOW,
  privateKey: APPROVAL_PRIV,
};
const entry = (over: Partial<MintRegistryEntryInput> = {}): ApprovedScriptEntry => mintRegistryEntrySync({ ...BASE, ...over });

describe('§5.2 entries: minting, normalization, verification', () => {
  it('defaults: ttl 168h, pattern id from the script hash; tool_sequence sorted and unique', () => {
    const e = entry({ toolSequence: ['Tool.Write', 'tool.read', 'tool.write'], scope: ['Risk:High', ' ', 'risk:high'] });
    expect(e.pattern_id).toBe(`pattern_${'c'.repeat(12)}`);
    expect(e.expires_at).toBe('2026-05-08T10:00:00Z');
    expect(e.tool_sequence).toEqual(['tool.read', 'tool.write']);
    expect(e.scope).toEqual(['Risk:High', 'risk:high']); // v1.3.6 keeps the case
    expect(Object.keys(registryEntryPayload(e))).toEqual([
      'schema_id', 'schema_version', 'created_at', 'producer_version', 'pattern_id', 'policy_digest', 'script_hash',
      'tool_sequence', 'scope', 'approver_identity', 'expires_at',
    ]);
    expect(Object.keys(registryEntryPayload(entry()))).not.toContain('scope');
    expect(verifyRegistryEntrySync(e, APPROVAL_PUB, LATER)).toBeUndefined();
  });

  it('mint errors', () => {
    expect(thrown(() => entry({ ttl: 'week' })).message).toBe('invalid --ttl duration');
    expect(thrown(() => entry({ ttl: '-1h' })).message).toBe('invalid --ttl duration');
    expect(thrown(() => entry({ privateKey: undefined })).message).toBe('signing private key is required');
    expect(thrown(() => entry({ approver: ' ' })).message).toBe('approver_identity is required');
    expect(thrown(() => entry({ scriptHash: 'x', patternId: 'p' })).message).toBe('script_hash must be sha256 hex');
    expect(thrown(() => entry({ policyDigest: 'x' })).message).toBe('policy_digest must be sha256 hex');
    expect(thrown(() => entry({ toolSequence: [' '] })).message).toBe('tool_sequence is required');
  });

  it('verification errors, in order', async () => {
    const e = entry();
    expect(verifyRegistryEntrySync({ ...e, pattern_id: '' }, APPROVAL_PUB, LATER)).toBe('pattern_id is required');
    const { signature: _s, ...unsigned } = e;
    expect(verifyRegistryEntrySync(unsigned, null, '2030-01-01T00:00:00Z')).toBe('signature is required');
    expect(verifyRegistryEntrySync(e, null, '2026-05-08T10:00:00Z')).toBe('approved script entry is expired');
    expect(verifyRegistryEntrySync(e, null, LATER)).toBe('verify key is required');
    expect(verifyRegistryEntrySync({ ...e, approver_identity: 'eve' }, APPROVAL_PUB, LATER)).toBe(
      'verify approved script entry signature: signed_digest mismatch',
    );
    expect(verifyRegistryEntrySync(e, generateKeyPair().publicKey, LATER)).toBe('verify approved script entry signature: key id mismatch');
    expect(verifyRegistryEntrySync({ ...e, signature: { ...e.signature!, key_id: '' } }, generateKeyPair().publicKey, LATER)).toBe(
      'approved script signature did not verify',
    );
    expect(await verifyRegistryEntry({ ...e, signature: { ...e.signature!, alg: 'x' } }, APPROVAL_PUB, LATER)).toBe(
      'verify approved script entry signature: unsupported alg: x',
    );
  });

  it('normalization converts times to UTC; zero created_at becomes 1980-01-01; schema id compared trimmed', () => {
    const raw = {
      schema_id: ' gait.gate.approved_script_entry ',
      created_at: '2026-05-01T12:00:00+02:00',
      pattern_id: ' p1 ',
      policy_digest: hex('B'),
      script_hash: hex('C'),
      tool_sequence: ['b', 'A'],
      approver_identity: 'x',
      expires_at: '2026-05-02T02:00:00+02:00',
    };
    const [e] = parseRegistry(JSON.stringify([raw])).entries;
    expect(e).toMatchObject({
      schema_id: ' gait.gate.approved_script_entry ',
      schema_version: '1.0.0',
      created_at: '2026-05-01T10:00:00Z',
      expires_at: '2026-05-02T00:00:00Z',
      pattern_id: 'p1',
      policy_digest: hex('b'),
      tool_sequence: ['a', 'b'],
    });
    const [z] = parseRegistry(JSON.stringify({ entries: [{ ...raw, created_at: undefined }] })).entries;
    expect(z!.created_at).toBe('1980-01-01T00:00:00Z');
    expect(thrown(() => parseRegistry(JSON.stringify([{ ...raw, schema_id: 'other' }]))).message).toBe(
      'approved script entries[0]: unsupported approved script schema_id: other',
    );
    expect(thrown(() => parseRegistry(JSON.stringify([{ ...raw, schema_version: '2' }]))).message).toBe(
      'approved script entries[0]: unsupported approved script schema_version: 2',
    );
    expect(thrown(() => parseRegistry(JSON.stringify([raw, { ...raw, expires_at: raw.created_at }]))).message).toBe(
      'approved script entries[1]: expires_at must be after created_at',
    );
  });
});

describe('§5.1 registry files', () => {
  it('empty, whitespace, {"entries":[]}, bare array, null are fine; {"entries":null} and {} fail', () => {
    expect(parseRegistry('').entries).toEqual([]);
    expect(parseRegistry(' \n\t ').entries).toEqual([]);
    expect(parseRegistry(new Uint8Array()).entries).toEqual([]);
    expect(parseRegistry('{"entries":[]}').entries).toEqual([]);
    expect(parseRegistry('[]').entries).toEqual([]);
    expect(thrown(() => parseRegistry('{"entries":null}')).message).toBe('parse approved script registry: entries must be an array');
    expect(thrown(() => parseRegistry('{"entries":{}}')).message).toBe('parse approved script registry: entries must be an array');
    expect(thrown(() => parseRegistry('{}')).message).toBe(
      'parse approved script registry: json: cannot unmarshal object into Go value of type []gate.ApprovedScriptEntry',
    );
    expect(thrown(() => parseRegistry('"x"')).message).toBe(
      'parse approved script registry: json: cannot unmarshal string into Go value of type []gate.ApprovedScriptEntry',
    );
    expect(thrown(() => parseRegistry('{"entries":[')).message).toBe('parse approved script registry: unexpected end of JSON input');
    expect(thrown(() => parseRegistry('{"entries":[{"tool_sequence":"x"}]}')).message).toBe(
      'parse approved script registry: json: cannot unmarshal string into Go struct field ApprovedScriptEntry.tool_sequence of type []string',
    );
    expect(thrown(() => parseRegistry('[{}]')).message).toBe('approved script entries[0]: pattern_id is required');
  });

  it('serialize → parse round trip; upsert replaces by pattern_id; file sorted by pattern_id then created_at', () => {
    const a = entry({ patternId: 'b-pattern' });
    const b = entry({ patternId: 'a-pattern', now: '2026-05-01T11:00:00Z' });
    const a2 = entry({ patternId: 'b-pattern', approver: 'other' });
    let reg: ApprovedScriptRegistry = { entries: [] };
    reg = upsertRegistryEntry(reg, a);
    reg = upsertRegistryEntry(reg, b);
    reg = upsertRegistryEntry(reg, a2);
    expect(reg.entries.map((e) => e.approver_identity)).toEqual(['other', 'secops']);
    const text = serializeRegistry(reg);
    expect(text.startsWith('{\n  "entries": [\n    {\n      "schema_id": "gait.gate.approved_script_entry",')).toBe(true);
    expect(text.endsWith('\n}\n')).toBe(true);
    const back = parseRegistry(text);
    expect(back.entries.map((e) => e.pattern_id)).toEqual(['a-pattern', 'b-pattern']);
    expect(back.entries[1]).toEqual(a2);
    expect(verifyRegistrySync(back, APPROVAL_PUB, LATER)).toEqual({ ok: true });
  });

  it('readRegistry: required path, missing file = empty, read errors wrapped', async () => {
    const io = (files: Record<string, string>) => ({
      readFile: async (p: string) => {
        if (p === 'broken') throw new Error('open broken: permission denied');
        return files[p];
      },
    });
    expect((await rejected(readRegistry('  ', io({})))).message).toBe('approved script registry path is required');
    expect((await readRegistry('missing.json', io({}))).entries).toEqual([]);
    expect((await rejected(readRegistry('broken', io({})))).message).toBe('read approved script registry: open broken: permission denied');
    const text = serializeRegistry({ entries: [entry()] });
    expect((await readRegistry(' reg.json ', io({ 'reg.json': text }))).entries).toHaveLength(1);
  });

  it('list-scripts rows: file order, expired flag, UTC RFC3339Nano', () => {
    const reg = { entries: [entry({ patternId: 'z', ttl: '1h' }), entry({ patternId: 'a', scope: ['tool:script'] })] };
    expect(listRegistryEntries(reg, '2026-05-01T11:00:00Z')).toEqual([
      {
        pattern_id: 'z',
        approver_identity: 'secops',
        policy_digest: hex('b'),
        script_hash: hex('c'),
        tool_sequence: ['tool.read', 'tool.write'],
        expires_at: '2026-05-01T11:00:00Z',
        expired: true,
      },
      {
        pattern_id: 'a',
        approver_identity: 'secops',
        policy_digest: hex('b'),
        script_hash: hex('c'),
        tool_sequence: ['tool.read', 'tool.write'],
        scope: ['tool:script'],
        expires_at: '2026-05-08T10:00:00Z',
        expired: false,
      },
    ]);
  });
});

describe('§5.6 fast-path matching', () => {
  const reg = { entries: [entry()] };
  const input = { policyDigest: hex('b'), scriptHash: hex('c'), stepToolNames: ['tool.read', 'tool.write'], now: LATER };

  it('match / not_found / not_script', () => {
    const m = matchApprovedScript(reg, input);
    expect(m).toMatchObject({ match: true, pattern_id: `pattern_${'c'.repeat(12)}`, reason: 'approved_script_match' });
    expect(matchApprovedScript(reg, { ...input, policyDigest: hex('d') })).toEqual({ match: false, pattern_id: '', reason: 'approved_script_not_found' });
    expect(matchApprovedScript(reg, { ...input, scriptHash: hex('d') }).reason).toBe('approved_script_not_found');
    expect(matchApprovedScript(reg, { ...input, stepToolNames: undefined })).toEqual({ match: false, pattern_id: '', reason: 'not_script' });
    expect(matchApprovedScript(reg, { ...input, stepToolNames: [] }).reason).toBe('not_script');
    expect(matchApprovedScript({ entries: [] }, input).reason).toBe('approved_script_not_found');
    // digests compare case-insensitively (both sides lower-cased)
    expect(matchApprovedScript(reg, { ...input, policyDigest: hex('B') }).match).toBe(true);
  });

  it('expired entries never match (expires_at must be after now)', () => {
    expect(matchApprovedScript(reg, { ...input, now: '2026-05-08T10:00:00Z' }).reason).toBe('approved_script_not_found');
    expect(matchApprovedScript(reg, { ...input, now: '2026-05-08T09:59:59.999999999Z' }).match).toBe(true);
  });

  it('quirk: the sorted, unique tool_sequence is compared with the ordered steps', () => {
    const writeThenRead = entry({ toolSequence: ['tool.write', 'tool.read'] });
    expect(writeThenRead.tool_sequence).toEqual(['tool.read', 'tool.write']);
    const r = { entries: [writeThenRead] };
    expect(matchApprovedScript(r, { ...input, stepToolNames: ['tool.write', 'tool.read'] }).reason).toBe('approved_script_not_found');
    const repeated = { entries: [entry({ toolSequence: ['tool.read', 'tool.read'] })] };
    expect(matchApprovedScript(repeated, { ...input, stepToolNames: ['tool.read', 'tool.read'] }).reason).toBe('approved_script_not_found');
    expect(matchApprovedScript(repeated, { ...input, stepToolNames: ['tool.read'] }).match).toBe(true);
  });

  it('the first matching entry in file order wins', () => {
    const first = entry({ patternId: 'zzz' });
    const second = entry({ patternId: 'aaa' });
    expect(matchApprovedScript({ entries: [first, second] }, input).pattern_id).toBe('zzz');
  });

  it('from a normalized script intent, and the pre-approved outcome', () => {
    const n = intent(SCRIPT_INTENT);
    const e = entry({ scriptHash: n.script_hash, policyDigest: POLICY });
    const m = matchApprovedScriptIntent({ entries: [e] }, n, POLICY, LATER);
    expect(m.match).toBe(true);
    expect(matchApprovedScriptIntent({ entries: [e] }, intent({ ...SCRIPT_INTENT, script: undefined, tool_name: 'tool.read' }), POLICY, LATER).reason).toBe(
      'not_script',
    );
    // the §8.4 untampered entry does not match today's hash of the same script
    const old = mintRegistryEntrySync({ ...FIXTURE_MINT, now: NOW });
    expect(matchApprovedScriptIntent({ entries: [old] }, n, POLICY, LATER).reason).toBe('approved_script_not_found');

    const outcome = preApprovedOutcome(n, m.pattern_id);
    expect(outcome).toEqual({
      verdict: 'allow',
      reason_codes: ['approved_script_match'],
      violations: [],
      pre_approved: true,
      pattern_id: m.pattern_id,
      registry_reason: 'approved_script_match',
      script: true,
      step_count: 2,
      script_hash: CURRENT_HASH,
      step_verdicts: [
        { index: 0, tool_name: 'tool.read', verdict: 'allow', reason_codes: ['approved_script_match'], violations: [] },
        { index: 1, tool_name: 'tool.write', verdict: 'allow', reason_codes: ['approved_script_match'], violations: [] },
      ],
      composite_risk_class: 'medium',
    });
  });
});

describe('§5.5 fail-closed decisions', () => {
  it('fail-closed mode: oss-prod or risk high/critical', () => {
    expect(isRegistryFailClosed('oss-prod', 'low')).toBe(true);
    expect(isRegistryFailClosed(' OSS-PROD ', '')).toBe(true);
    expect(isRegistryFailClosed('standard', ' Critical ')).toBe(true);
    expect(isRegistryFailClosed('standard', 'high')).toBe(true);
    expect(isRegistryFailClosed('standard', 'medium')).toBe(false);
    expect(isRegistryFailClosed('', '')).toBe(false);
  });

  it('exact errors (exit 3, policy_blocked) and warnings', () => {
    const cases = [
      ['registry_unavailable', 'approved script registry unavailable in fail-closed mode: parse approved script registry: entries must be an array', 'approved script registry unavailable; continuing without fast-path pre-approval'],
      ['verify_key_missing', 'approved script registry verification unavailable in fail-closed mode: verify key required', 'approved script fast-path disabled because registry verify key is not configured'],
      ['entry_verification_failed', 'approved script registry verification failed at entry 2: parse approved script registry: entries must be an array', 'approved script registry entry failed verification; fast-path disabled'],
      ['match_failed', 'approved script fast-path evaluation failed in fail-closed mode: parse approved script registry: entries must be an array', 'approved script fast-path evaluation failed; continuing with policy evaluation'],
    ] as const;
    const detail = 'parse approved script registry: entries must be an array';
    for (const [kind, error, warning] of cases) {
      const closed = registryFailureDecision(kind, { failClosed: true, detail, entryIndex: 2 });
      expect(closed.failClosed).toBe(true);
      if (closed.failClosed) {
        expect(closed.error.message).toBe(error);
        expect(closed.error.category).toBe('policy_blocked');
      }
      const open = registryFailureDecision(kind, { failClosed: false, detail, entryIndex: 2 });
      expect(open).toEqual({ failClosed: false, warning, dropEntries: kind !== 'match_failed' });
    }
    expect(CONTEXT_EVIDENCE_WARNING).toBe('approved script fast-path disabled because policy requires authenticated context evidence');
  });
});
