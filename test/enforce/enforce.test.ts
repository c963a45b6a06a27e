// The enforcement pipeline as a library (bindings/enforce.ts): the same answers as `gait gate
// eval`, limits through a limit store that fails closed, tokens as values, artifacts to a sink.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  instantiateSync, Gate, GaitError, LimitStoreError, memoryLimitStore, mintApprovalToken, serializeApprovalToken,
  verifyTrace, LIMIT_STORE_UNAVAILABLE, parsePolicyYaml, type LimitStore, type EnforceArtifact,
} from '../../bindings/index.js';
import { parsePrivateKey, parsePublicKey } from '../../bindings/crypto/keys.js';
import { gait, FIXTURES } from '../cli/run.js';

const engine = instantiateSync(readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url))));
const PRIVATE_PATH = FIXTURES + 'scenarios/keys/approval_private.key';
const PUBLIC_PATH = FIXTURES + 'scenarios/keys/approval_public.key';
const PRIVATE_TEXT = readFileSync(PRIVATE_PATH, 'utf8');
const PRIVATE = parsePrivateKey(PRIVATE_TEXT);
const PUBLIC = parsePublicKey(readFileSync(PUBLIC_PATH, 'utf8'));
const NOW = '2026-03-01T00:00:10Z';

const gate = (yaml: string) => new Gate(engine, parsePolicyYaml(yaml));
const intent = (over: Record<string, unknown> = {}) => ({
  schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-18T00:00:00Z', producer_version: '0.0.0-dev',
  tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
  targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' }],
  context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' },
  ...over,
});

const LIMITED = `default_verdict: block
rules:
  - name: allow-write
    effect: allow
    match: { tool_names: [tool.write] }
    rate_limit: { requests: 2, window: minute, scope: tool_identity }
`;
const APPROVAL = `default_verdict: block
rules:
  - name: approve-write
    effect: require_approval
    match: { tool_names: [tool.write] }
    reason_codes: [approval_required]
`;

describe('gate.enforce agrees with gait gate eval', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['allow with a rate limit', LIMITED, intent()],
    ['require_approval without tokens', APPROVAL, intent()],
    ['default block', 'default_verdict: block\n', intent()],
    ['fail-closed block of an invalid intent', 'default_verdict: allow\nfail_closed: { enabled: true, risk_classes: [high] }\n', intent({ targets: [{ kind: 'nope', value: 'x' }] })],
  ];
  for (const [name, policyText, intentValue] of cases) {
    it(name, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'gait-enforce-'));
      writeFileSync(path.join(dir, 'policy.yaml'), policyText);
      writeFileSync(path.join(dir, 'intent.json'), JSON.stringify(intentValue));
      const cli = await gait(['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--key-mode', 'prod', '--private-key', PRIVATE_PATH, '--evaluation-time', NOW, '--trace-out', 'trace.json'], { cwd: dir });
      const lib = await gate(policyText).enforce(JSON.stringify(intentValue), { signingKey: PRIVATE, now: NOW });
      expect(lib.exit_code).toBe(cli.exit);
      const { trace_path: _p, approval_audit_path: _a, correlation_id: _c, ...cliResult } = cli.json;
      expect(lib.result).toEqual(cliResult);
      const cliTrace = JSON.parse(readFileSync(path.join(dir, 'trace.json'), 'utf8'));
      const blank = (t: Record<string, unknown>) => ({ ...t, observed_at: '', event_id: '', correlation_id: '', latency_ms: 0, producer_version: '', signature: { ...(t['signature'] as object), sig: '', signed_digest: '' } });
      expect(blank(lib.trace as unknown as Record<string, unknown>)).toEqual(blank(cliTrace));
      expect((await verifyTrace(lib.trace, PUBLIC)).ok).toBe(true);
    });
  }
});

describe('limits through a limit store', () => {
  it('counts on a memory store the caller keeps, exactly', async () => {
    const g = gate(LIMITED);
    const store = memoryLimitStore();
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push((await g.enforce(intent(), { signingKey: PRIVATE, now: NOW, limitStore: store })).result);
    expect(verdicts.map((r) => r.verdict)).toEqual(['allow', 'allow', 'block']);
    expect(verdicts[2]!.reason_codes).toContain('rate_limit_exceeded');
    expect(verdicts[1]).toMatchObject({ rate_limit_key: 'tool.write|alice', rate_limit_used: 2 });
  });

  it('defaults to a memory store private to the gate', async () => {
    const g = gate(LIMITED);
    const other = gate(LIMITED);
    for (let i = 0; i < 2; i++) await g.enforce(intent(), { signingKey: PRIVATE, now: NOW });
    expect((await g.enforce(intent(), { signingKey: PRIVATE, now: NOW })).result.verdict).toBe('block');
    expect((await other.enforce(intent(), { signingKey: PRIVATE, now: NOW })).result.verdict).toBe('allow');
  });

  const failing: [string, LimitStore][] = [
    ['throws', { name: 'redis://10.0.0.1:6379/0', consume: () => { throw new LimitStoreError('redis://10.0.0.1:6379/0', 'connection refused'); } }],
    ['rejects with a plain error', { name: 'kv', consume: () => Promise.reject(new Error('socket hang up')) }],
    ['never answers', { name: 'slow', consume: () => new Promise(() => {}) }],
    ['answers garbage', { name: 'garbled', consume: () => [{ used: 'NaN', exceeded: false }] as never }],
    ['answers too few counts', { name: 'short', consume: () => [] }],
  ];
  for (const [how, store] of failing) {
    it(`blocks when the store ${how}, naming the store`, async () => {
      const r = await gate(LIMITED).enforce(intent(), { signingKey: PRIVATE, now: NOW, limitStore: store, limitStoreTimeoutMs: 50 });
      expect(r.result.verdict).toBe('block');
      expect(r.exit_code).toBe(3);
      expect(r.result.reason_codes).toContain(LIMIT_STORE_UNAVAILABLE);
      expect(r.result.violations).toContain(LIMIT_STORE_UNAVAILABLE);
      expect(r.result.warnings!.some((w) => w.includes(store.name))).toBe(true);
      expect(r.trace.verdict).toBe('block');
    });
  }

  it('under simulate, a failing store is reported as would_have_blocked (simulate never enforces)', async () => {
    const store: LimitStore = { name: 'down', consume: () => { throw new Error('down'); } };
    const r = await gate(LIMITED).enforce(intent(), { signingKey: PRIVATE, now: NOW, limitStore: store, simulate: true });
    expect(r.result).toMatchObject({ verdict: 'allow', would_have_blocked: true, simulated_verdict: 'block' });
    expect(r.result.simulated_reason_codes).toContain(LIMIT_STORE_UNAVAILABLE);
  });

  it('counts nothing when beforeEffects stops the evaluation', async () => {
    const store = memoryLimitStore();
    await expect(gate(LIMITED).enforce(intent(), { signingKey: PRIVATE, now: NOW, limitStore: store, beforeEffects: () => { throw new Error('output unwritable'); } })).rejects.toThrow('output unwritable');
    expect(store.counters.size).toBe(0);
  });

  it('passes a bad state (a GaitError from the store) through as invalid input', async () => {
    const store: LimitStore = { name: 'file x', consume: () => { throw new GaitError('parse rate limit state x: bad', 'invalid_input'); } };
    await expect(gate(LIMITED).enforce(intent(), { signingKey: PRIVATE, now: NOW, limitStore: store })).rejects.toThrow(/parse rate limit state/);
  });
});

describe('tokens as values, artifacts to a sink', () => {
  const g = gate(APPROVAL);
  const digests = async () => {
    const r = await g.enforce(intent(), { signingKey: PRIVATE, now: NOW });
    return { intentDigest: r.result.intent_digest!, policyDigest: r.result.policy_digest };
  };

  it('grants with an approval token minted by the library; the sink gets trace and audit', async () => {
    const token = await mintApprovalToken({ ...(await digests()), ttl: '1h', scope: ['tool:tool.write'], approver: 'bob', reasonCode: 'ok', now: NOW, privateKey: PRIVATE });
    const seen: EnforceArtifact[] = [];
    const r = await g.enforce(intent(), {
      signingKey: PRIVATE_TEXT, now: NOW,
      approval: { tokens: [serializeApprovalToken(token)], verifyKey: PUBLIC },
      sink: (a) => {
        seen.push(a);
        return `mem://${a.kind}`;
      },
    });
    expect(r.result).toMatchObject({ verdict: 'allow', valid_approvals: 1, trace_path: 'mem://trace', approval_audit_path: 'mem://approval_audit' });
    expect(seen.map((a) => a.kind)).toEqual(['trace', 'approval_audit']);
    expect(r.approval_audit).toMatchObject({ approved: true, valid_approvals: 1 });
  });

  it('does not load tokens or keys of a stage that does not run', async () => {
    let loaded = 0;
    const lazy = () => {
      loaded++;
      throw new Error('should not load');
    };
    const r = await gate(LIMITED).enforce(intent(), { signingKey: PRIVATE, now: NOW, approval: { tokens: lazy, verifyKey: lazy }, delegation: { tokens: lazy } });
    expect(r.result.verdict).toBe('allow');
    expect(loaded).toBe(0);
  });

  it('echoes the trimmed token ref when approval is not granted', async () => {
    const r = await g.enforce(intent(), { signingKey: PRIVATE, now: NOW, approval: { tokenRef: '  ticket-7 ' } });
    expect(r.result).toMatchObject({ verdict: 'require_approval', approval_ref: 'ticket-7' });
    expect(r.trace.approval_token_ref).toBe('ticket-7');
  });

  it('rejects a sink failure (a call whose trace was not kept must not run)', async () => {
    await expect(g.enforce(intent(), { signingKey: PRIVATE, now: NOW, sink: () => Promise.reject(new Error('disk full')) })).rejects.toThrow('disk full');
  });
});

describe('keys and profiles', () => {
  it('signs with raw bytes, a seed, key-file text or an extractable CryptoKey, all to the same trace', async () => {
    const g = gate('default_verdict: allow\n');
    const seed = PRIVATE.subarray(0, 32);
    const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, ...seed]);
    const cryptoKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
    const fixedClock = () => new Date('2026-03-01T00:00:11Z');
    const sigs = new Set<string>();
    for (const signingKey of [PRIVATE, seed, PRIVATE_TEXT, cryptoKey]) {
      const r = await g.enforce(intent(), { signingKey, now: NOW, clock: fixedClock });
      expect((await verifyTrace(r.trace, PUBLIC)).ok).toBe(true);
      sigs.add(r.trace.signature!.sig);
    }
    expect(sigs.size).toBe(1);
  });

  it('refuses a non-extractable private CryptoKey with a clear error', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    await expect(gate('default_verdict: allow\n').enforce(intent(), { signingKey: pair.privateKey })).rejects.toThrow(/extractable/);
  });

  it('dev mode without a signing key: an ephemeral key and the dev-mode warning', async () => {
    const r = await gate('default_verdict: allow\n').enforce(intent());
    expect(r.result.warnings).toContain('dev mode: ephemeral keypair generated; signatures will not verify across machines');
  });

  it('oss-prod refuses simulate and a missing signing key (invalid input)', async () => {
    const g = gate('default_verdict: allow\n');
    await expect(g.enforce(intent(), { profile: 'oss-prod', simulate: true, signingKey: PRIVATE })).rejects.toMatchObject({ category: 'invalid_input' });
    await expect(g.enforce(intent(), { profile: 'oss-prod' })).rejects.toMatchObject({ category: 'invalid_input' });
  });

  it('a disposed gate refuses to enforce', async () => {
    const g = gate('default_verdict: allow\n');
    g.dispose();
    expect(() => g.enforce(intent(), { signingKey: PRIVATE })).toThrow(/disposed/);
  });
});

describe('tokens given as objects are decoded with Gait\'s rules', () => {
  it('a token object of the wrong shape is invalid input (a GaitError), not a crash or a grant', async () => {
    const g = gate(APPROVAL);
    for (const bad of [{ scope: 'tool:tool.write', signature: 7 }, { schema_id: 5 }, [1, 2]]) {
      await expect(g.enforce(intent(), { signingKey: PRIVATE, now: NOW, approval: { tokens: [bad as never] } })).rejects.toBeInstanceOf(GaitError);
    }
    // JSON `null` decodes to an empty token, as in Go: evaluated, and refused.
    const empty = await g.enforce(intent(), { signingKey: PRIVATE, now: NOW, approval: { tokens: [null as never] } });
    expect(empty.result.verdict).toBe('require_approval');
    expect(empty.result.valid_approvals).toBeUndefined();
  });

  it('a token object parsed from JSON grants like its text', async () => {
    const g = gate(APPROVAL);
    const probe = await g.enforce(intent(), { signingKey: PRIVATE, now: NOW });
    const token = await mintApprovalToken({ intentDigest: probe.result.intent_digest!, policyDigest: probe.result.policy_digest, ttl: '1h', scope: ['tool:tool.write'], approver: 'bob', reasonCode: 'ok', now: NOW, privateKey: PRIVATE });
    const fromJson = JSON.parse(serializeApprovalToken(token));
    const r = await g.enforce(intent(), { signingKey: PRIVATE, now: NOW, approval: { tokens: [fromJson], verifyKey: PUBLIC } });
    expect(r.result.verdict).toBe('allow');
  });
});
