/**
 * The direct serializers of bindings/intent/digest.ts against the generic path: for every intent
 * the fast canonical text must equal `canonicalize(intentProjection(n))` byte for byte, and the
 * digests (intent, script, delegation, and the all-in-one computeIntentDigests) must agree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../bindings/canonical/jcs.js';
import { digestJson, sha256Hex } from '../../bindings/canonical/sha256.js';
import { decodeIntentJson, decodeIntentValue } from '../../bindings/intent/decode.js';
import {
  argsDigest,
  computeIntentDigests,
  delegationDigest,
  delegationProjection,
  intentCanonical,
  intentCanonicalGeneric,
  intentDigest,
  intentDigestGeneric,
  intentProjection,
  scriptHash,
  scriptProjection,
} from '../../bindings/intent/digest.js';
import type { NormalizedIntent } from '../../bindings/intent/model.js';
import { computeDigests, normalizeIntent } from '../../bindings/intent/normalize.js';
import { FIXTURES } from './helpers.js';

function tryNorm(make: () => NormalizedIntent): NormalizedIntent | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/** Every equality the fast path promises, for one normalized intent. */
function checkSame(n: NormalizedIntent, label: string): void {
  const generic = canonicalize(intentProjection(n));
  expect(intentCanonical(n), label).toBe(generic);
  expect(intentCanonicalGeneric(n), label).toBe(generic);
  expect(intentDigest(n), label).toBe(sha256Hex(generic));
  expect(intentDigestGeneric(n), label).toBe(sha256Hex(generic));
  expect(scriptHash(n), label).toBe(n.script ? digestJson(scriptProjection(n.script.steps)) : '');
  expect(delegationDigest(n), label).toBe(n.delegation ? digestJson(delegationProjection(n.delegation)) : '');
  // With the canonical args handed in, and with script_hash unset (recomputed inside).
  expect(intentCanonical(n, canonicalize(n.args)), label).toBe(generic);
  const unset = { ...n, script_hash: '' };
  expect(intentCanonical(unset), label).toBe(canonicalize(intentProjection(unset)));
  // computeIntentDigests fills exactly what computeDigests fills.
  const viaGeneric = { ...n, script_hash: '', args_digest: '', intent_digest: '' };
  viaGeneric.script_hash = n.script ? digestJson(scriptProjection(n.script.steps)) : '';
  viaGeneric.args_digest = digestJson(n.args);
  viaGeneric.intent_digest = digestJson(intentProjection(viaGeneric));
  const viaFast = computeIntentDigests({ ...n, script_hash: 'stale', args_digest: '', intent_digest: '' });
  expect([viaFast.script_hash, viaFast.args_digest, viaFast.intent_digest], label).toEqual([
    viaGeneric.script_hash,
    viaGeneric.args_digest,
    viaGeneric.intent_digest,
  ]);
  const viaNormalize = computeDigests({ ...n, script_hash: '', args_digest: '', intent_digest: '' });
  expect(viaNormalize.intent_digest, label).toBe(viaGeneric.intent_digest);
  expect(argsDigest(n.args), label).toBe(viaGeneric.args_digest);
}

describe('fast intent canonical form = generic projection + JCS', () => {
  it('every normalizable intent of conformance/corpus.jsonl', () => {
    const corpus = fileURLToPath(new URL('../../conformance/corpus.jsonl', import.meta.url));
    let checked = 0;
    let scripts = 0;
    for (const line of readFileSync(corpus, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as { id: string; intent?: unknown };
      if (typeof entry.intent !== 'string') continue;
      const n = tryNorm(() => normalizeIntent(decodeIntentJson(entry.intent as string)));
      if (!n) continue;
      checkSame(n, entry.id);
      checked++;
      if (n.script) scripts++;
    }
    expect(checked).toBeGreaterThan(400);
    expect(scripts).toBeGreaterThan(10);
  });

  it('every fixture intent under test/fixtures/gait', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.json')) files.push(path);
      }
    };
    walk(fileURLToPath(FIXTURES));
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('"tool_name"')) continue;
      const n = tryNorm(() => normalizeIntent(decodeIntentJson(text)));
      if (!n) continue;
      checkSame(n, file);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  describe('seeded random intents', () => {
    // mulberry32
    let seed = 0x5eed1234;
    const rand = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const chance = (p: number): boolean => rand() < p;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const ATOMS = ['a', 'Z', ' ', 'é', 'ß', '中', '😀', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029', '\ufeff', '<', '&', "'", '\ud7ff', '\ue000'];
    const str = (max = 6): string => {
      let out = '';
      const len = Math.floor(rand() * max);
      for (let i = 0; i < len; i++) out += pick(ATOMS);
      return out;
    };
    const word = (): string => pick(['alpha', 'Beta', 'tool.write', 'x', 'ümlaut', 'a b', '中文']) + (chance(0.3) ? str(3) : '');
    const maybe = (v: () => string): string | undefined => (chance(0.5) ? v() : undefined);
    const json = (depth: number): unknown => {
      const r = rand();
      if (depth <= 0 || r < 0.3) return pick([null, true, false, 0, -1, 1.5, 1e21, 1e-7, -0, 123456789012, str()]);
      if (r < 0.55) return Array.from({ length: Math.floor(rand() * 4) }, () => json(depth - 1));
      return obj(depth);
    };
    const obj = (depth: number): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      const n = Math.floor(rand() * 5);
      for (let i = 0; i < n; i++) o[pick(['a', 'b', 'B', 'é', '😀', '\ue000', '_', 'key', 'Key', '10', '2', 'a\nb', '"q"'] as const) + (chance(0.3) ? str(2) : '')] = json(depth - 1);
      return o;
    };
    const HEX = '0123456789abcdef';
    const hex64 = (): string => Array.from({ length: 64 }, () => HEX[Math.floor(rand() * 16)]).join('');
    const time = (): string => pick(['2026-02-05T00:00:00Z', '2026-02-05T01:02:03.5+02:00', '2026-03-01T00:00:00.123456789Z', '2027-01-01T00:00:00Z']);
    const target = (): Record<string, unknown> => ({
      kind: pick(['path', 'url', 'host', 'repo', 'bucket', 'table', 'queue', 'topic', 'other']),
      value: pick(['/tmp/a.txt', 'https://example.com/x?y=1', 'example.com', 'repo/x', str(5) || 'v']),
      operation: maybe(() => pick(['read', 'write', 'delete', 'x' + str(2)])),
      sensitivity: maybe(() => pick(['low', 'high', 'PII'])),
      endpoint_class: maybe(() => pick(['fs.read', 'net.http', 'proc.exec', 'other'])),
      endpoint_domain: maybe(() => pick(['example.com', 'EXAMPLE.org'])),
      destructive: chance(0.3) ? true : undefined,
      discovery_method: maybe(() => pick(['webmcp', 'dynamic-mcp', 'A2A', 'mcp', 'static_mcp', 'manual', 'unknown'])),
      read_only_hint: chance(0.3) || undefined,
      destructive_hint: chance(0.3) || undefined,
      idempotent_hint: chance(0.3) || undefined,
      open_world_hint: chance(0.3) || undefined,
    });
    const provenance = (): Record<string, unknown> => ({
      arg_path: pick(['args.path', 'args.content', '$.x', str(4) || 'p']),
      source: pick(['user', 'tool_output', 'external', 'system']),
      source_ref: maybe(() => word()),
      integrity_digest: maybe(() => (chance(0.5) ? hex64() : 'sha256:' + hex64())),
    });
    const list = <T>(make: () => T, max = 3): T[] => Array.from({ length: Math.floor(rand() * (max + 1)) }, make);
    const step = (): Record<string, unknown> => ({
      tool_name: word(),
      args: obj(3),
      targets: chance(0.7) ? list(target) : undefined,
      arg_provenance: chance(0.7) ? list(provenance) : undefined,
    });
    const delegation = (): Record<string, unknown> => {
      const ids = ['alice', 'bob', 'carol', 'dave'];
      const chainLen = Math.floor(rand() * 3);
      const chain = [];
      for (let i = 0; i < chainLen; i++) {
        chain.push({
          delegator_identity: ids[i],
          delegate_identity: ids[i + 1],
          scope_class: maybe(() => pick(['write', 'READ', 'admin'])),
          token_ref: maybe(() => word()),
          issued_at: chance(0.6) ? '2026-02-05T00:00:00Z' : undefined,
          expires_at: chance(0.6) ? '2026-12-31T00:00:00.5Z' : undefined,
        });
      }
      return {
        requester_identity: chainLen > 0 ? ids[chainLen] : pick(ids),
        scope_class: maybe(() => pick(['write', 'Read '])),
        token_refs: chance(0.6) ? list(word) : undefined,
        issued_at: chance(0.5) ? time() : undefined,
        expires_at: chance(0.5) ? '2030-01-01T00:00:00Z' : undefined,
        chain: chance(0.9) ? chain : undefined,
      };
    };
    const raw = (): Record<string, unknown> => {
      const withScript = chance(0.3);
      const out: Record<string, unknown> = {
        schema_id: 'gait.gate.intent_request',
        schema_version: '1.0.0',
        created_at: chance(0.5) ? time() : undefined,
        producer_version: '0.0.0',
        tool_name: withScript ? 'script' : word(),
        args: chance(0.9) ? obj(4) : undefined,
        targets: list(target),
        arg_provenance: list(provenance),
        context: {
          identity: word(),
          workspace: pick(['/repo/gait', 'C:\\work\\x', '/tmp/' + str(3)]),
          risk_class: pick(['low', 'High', 'critical']),
          phase: maybe(() => pick(['plan', 'apply', 'PLAN'])),
          job_id: maybe(word),
          session_id: maybe(word),
          request_id: maybe(word),
          auth_context: chance(0.5) ? obj(3) : undefined,
          credential_scopes: chance(0.5) ? list(word) : undefined,
          environment_fingerprint: maybe(() => 'fp:' + str(4)),
          context_set_digest: chance(0.3) ? hex64() : undefined,
          context_evidence_mode: maybe(() => pick(['best_effort', 'required'])),
          context_refs: chance(0.5) ? list(word) : undefined,
        },
      };
      if (withScript) out.script = { steps: Array.from({ length: 1 + Math.floor(rand() * 3) }, step) };
      if (chance(0.4)) out.skill_provenance = {
        skill_name: word(),
        skill_version: maybe(() => '1.' + Math.floor(rand() * 9)),
        source: pick(['registry', 'local', 'Git']),
        publisher: word(),
        digest: maybe(hex64),
        signature_key_id: maybe(word),
      };
      if (chance(0.4)) out.delegation = delegation();
      return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
    };

    it('a few hundred normalize, with every feature covered', () => {
      const seen = { script: 0, delegation: 0, chain: 0, zeroTime: 0, skill: 0, auth: 0, hints: 0, destructive: 0, escapes: 0, emptyLists: 0 };
      let checked = 0;
      for (let i = 0; i < 3000 && checked < 600; i++) {
        const value = raw();
        const n = tryNorm(() => (chance(0.5) ? normalizeIntent(decodeIntentJson(JSON.stringify(value))) : normalizeIntent(decodeIntentValue(value))));
        if (!n) continue;
        checkSame(n, `random #${i}: ${JSON.stringify(value)}`);
        checked++;
        if (n.script) seen.script++;
        if (n.delegation) seen.delegation++;
        if (n.delegation && n.delegation.chain.length > 0) seen.chain++;
        if (n.delegation && (n.delegation.issued_at === '' || n.delegation.chain.some((l) => l.expires_at === ''))) seen.zeroTime++;
        if (n.skill_provenance) seen.skill++;
        if (n.context.auth_context) seen.auth++;
        if (n.targets.some((t) => t.read_only_hint || t.open_world_hint)) seen.hints++;
        if (n.targets.some((t) => t.destructive)) seen.destructive++;
        if (/\\u|\\n|\\"|\\\\/.test(intentCanonical(n))) seen.escapes++;
        if (n.targets.length === 0 && n.context.context_refs.length === 0) seen.emptyLists++;
      }
      expect(checked).toBeGreaterThanOrEqual(300);
      for (const [k, v] of Object.entries(seen)) expect(v, `${k} covered (${JSON.stringify(seen)})`).toBeGreaterThan(5);
    });

    it('hand-varied normalized objects (empty auth_context, empty phase, empty strings, all flags)', () => {
      let checked = 0;
      for (let i = 0; i < 400; i++) {
        const n = tryNorm(() => normalizeIntent(decodeIntentValue(raw())));
        if (!n) continue;
        const variants: NormalizedIntent[] = [
          { ...n, context: { ...n.context, auth_context: {} } },
          { ...n, context: { ...n.context, phase: '' as 'plan' } },
          { ...n, args: {}, targets: [], arg_provenance: [] },
          {
            ...n,
            targets: n.targets.map((t) => ({ ...t, destructive: true, read_only_hint: true, destructive_hint: true, idempotent_hint: true, open_world_hint: true })),
          },
          { ...n, targets: n.targets.map((t) => ({ ...t, operation: '', sensitivity: '', endpoint_class: '', endpoint_domain: '', discovery_method: '' })) },
        ];
        for (const v of variants) checkSame(v, `variant of #${i}`);
        checked++;
      }
      expect(checked).toBeGreaterThan(100);
    });
  });
});
