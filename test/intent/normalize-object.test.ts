/**
 * normalizeIntentObject (the one-pass path for parsed objects) against the full path it stands
 * in for, normalizeIntent(decodeIntentValue(value), { digests: false }): whenever it answers, the
 * full path must succeed with the same intent, member order and -0 included; it never throws.
 */
import { describe, expect, test } from 'vitest';
import { decodeIntentValue } from '../../bindings/intent/decode.js';
import { normalizeIntent, stripContextClaims, stripContextClaimsInPlace } from '../../bindings/intent/normalize.js';
import { normalizeIntentObject } from '../../bindings/intent/normalize-object.js';
import { corpusIntents, DELEGATED, fixtureIntents, FULL, mutate, nest, rng, SCRIPT, Thing, TYPICAL } from './inputs.js';

/** A comparable picture: member order counts, -0 and undefined members are visible. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') return Object.keys(v).map((k) => [k, shape((v as Record<string, unknown>)[k])]);
  if (Object.is(v, -0)) return '-0';
  if (v === undefined) return '(undefined)';
  return v;
}

function full(value: unknown): unknown {
  try {
    return shape(normalizeIntent(decodeIntentValue(value), { digests: false }));
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const stats = { fast: 0, full: 0 };

const SCRIPT_WITH_TARGETS = { ...SCRIPT, targets: [{ kind: 'path', value: '/tmp/top' }], arg_provenance: [{ arg_path: '$', source: 'user' }] };

function check(value: unknown, label: string): void {
  let fast: unknown;
  expect(() => (fast = normalizeIntentObject(value)), `${label}: never throws`).not.toThrow();
  if (fast === undefined) {
    stats.full++;
    return;
  }
  stats.fast++;
  expect(shape(fast), label).toEqual(full(value));
}

describe('normalizeIntentObject equals the full path', () => {
  test('the typical intent and scripts take the fast path; delegation does not', () => {
    expect(normalizeIntentObject(TYPICAL)).toBeDefined();
    check(TYPICAL, 'typical');
    expect(normalizeIntentObject(SCRIPT)).toBeDefined();
    check(SCRIPT, 'script');
    expect(normalizeIntentObject(SCRIPT_WITH_TARGETS)).toBeDefined();
    check(SCRIPT_WITH_TARGETS, 'script with top-level targets');
    expect(normalizeIntentObject(DELEGATED)).toBeDefined();
    check(DELEGATED, 'delegated');
    expect(normalizeIntentObject(FULL)).toBeUndefined(); // a relationship
  });

  test('every corpus and fixture intent', () => {
    const corpus = corpusIntents();
    const before = stats.fast;
    for (const [id, intent] of corpus) check(intent, id);
    for (const [path, intent] of fixtureIntents()) check(intent, path);
    expect(stats.fast - before).toBeGreaterThan(corpus.length / 3);
  });

  test('seeded random mutations', () => {
    const bases: unknown[] = [TYPICAL, FULL, SCRIPT, SCRIPT, SCRIPT_WITH_TARGETS, DELEGATED, DELEGATED, ...corpusIntents().map(([, v]) => v), ...fixtureIntents().map(([, v]) => v)];
    const r = rng(20261127);
    const before = { ...stats };
    for (let i = 0; i < 3000; i++) check(mutate(bases[Math.floor(r() * bases.length)], r), `mutation #${i}`);
    expect(stats.fast - before.fast).toBeGreaterThan(180);
    expect(stats.full - before.full).toBeGreaterThan(1000);
  });

  test('hand-picked edge cases', () => {
    const ctx = TYPICAL.context;
    const cases: Array<[string, unknown, boolean]> = [
      ['padded and mixed case', { ...TYPICAL, tool_name: ' Tool.Write ', context: { ...ctx, identity: ' u ', risk_class: 'HIGH', phase: ' Plan ' } }, true],
      ['context extras', { ...TYPICAL, context: { ...ctx, job_id: ' j ', session_id: 's', request_id: null, environment_fingerprint: ' e ', credential_scopes: [' b ', 'a', 'b', '', null], context_refs: ['r2', ' r1 '], context_set_digest: 'A'.repeat(64), context_evidence_mode: 'Required' } }, true],
      ['auth context', { ...TYPICAL, context: { ...ctx, auth_context: { b: ' x ', a: [' y ', { z: ' w ' }], 10: 1, 2: -0 } } }, true],
      ['auth context empty after drops', { ...TYPICAL, context: { ...ctx, auth_context: { f: () => 1, u: undefined } } }, true],
      ['args order and values', { ...TYPICAL, args: { b: 1, a: ' s ', 10: [1, undefined, ' t '], 2: { n: -0, d: null } } }, true],
      ['args __proto__', JSON.parse('{"tool_name":"t","args":{"__proto__":1},"context":{"identity":"u","workspace":"/w","risk_class":"low"}}'), false],
      ['args deep', { ...TYPICAL, args: { a: nest(60) } }, false],
      ['created_at offset', { ...TYPICAL, created_at: '2026-02-05T10:00:00.120+05:30' }, true],
      ['created_at zero', { ...TYPICAL, created_at: '0001-01-01T00:00:00Z' }, true],
      ['created_at zero with offset', { ...TYPICAL, created_at: '0001-01-01T01:00:00+01:00' }, true],
      ['created_at trailing zeros', { ...TYPICAL, created_at: '2026-02-05T00:00:00.500Z' }, true],
      ['created_at bad', { ...TYPICAL, created_at: '2026-02-30T00:00:00Z' }, false],
      ['schema fields empty', { ...TYPICAL, schema_id: '', schema_version: null, producer_version: ' p ' }, true],
      ['windows workspace', { ...TYPICAL, context: { ...ctx, workspace: 'C:\\w\\x' } }, true],
      ['null prototype', Object.assign(Object.create(null), TYPICAL), true],
      ['class instance', new Thing(), false],
      ['relationship', { ...TYPICAL, relationship: { parent_record_id: 'x' } }, false],
      ['empty script', { ...SCRIPT, script: { steps: [] } }, false],
      ['65 steps', { ...SCRIPT, script: { steps: Array.from({ length: 65 }, () => SCRIPT.script.steps[0]) } }, false],
      ['64 steps', { ...SCRIPT, script: { steps: Array.from({ length: 64 }, () => SCRIPT.script.steps[0]) } }, true],
      ['script extra member', { ...SCRIPT, script: { steps: SCRIPT.script.steps, x: 1 } }, false],
      ['step blank tool', { ...SCRIPT, script: { steps: [{ tool_name: ' ' }] } }, false],
      ['step bad target', { ...SCRIPT, script: { steps: [{ tool_name: 't', targets: [{ kind: 'path' }] }] } }, false],
      ['step null', { ...SCRIPT, script: { steps: [null] } }, false],
      ['script null', { ...TYPICAL, script: null }, true],
      ['skill without publisher', { ...TYPICAL, skill_provenance: { skill_name: 's', source: 'x' } }, false],
      ['skill bad digest', { ...TYPICAL, skill_provenance: { ...DELEGATED.skill_provenance, digest: 'nope' } }, false],
      ['skill extra member', { ...TYPICAL, skill_provenance: { ...DELEGATED.skill_provenance, extra: 1 } }, false],
      ['delegation without requester', { ...TYPICAL, delegation: { scope_class: 'x' } }, false],
      ['delegation chain gap', { ...DELEGATED, delegation: { ...DELEGATED.delegation, chain: [DELEGATED.delegation.chain[1]!, DELEGATED.delegation.chain[0]!] } }, false],
      ['delegation expires before issued', { ...DELEGATED, delegation: { ...DELEGATED.delegation, expires_at: '2025-01-01T00:00:00Z' } }, false],
      ['delegation link expires before issued', { ...DELEGATED, delegation: { ...DELEGATED.delegation, chain: [{ ...DELEGATED.delegation.chain[0]!, expires_at: '2025-12-31T00:00:00Z' }, DELEGATED.delegation.chain[1]!] } }, false],
      ['delegation lenient time', { ...DELEGATED, delegation: { ...DELEGATED.delegation, issued_at: '2026-01-01T00:00:00.Z' } }, false],
      ['delegation zero time', { ...DELEGATED, delegation: { ...DELEGATED.delegation, issued_at: '0001-01-01T00:00:00Z' } }, true],
      ['delegation no chain', { ...TYPICAL, delegation: { requester_identity: 'x', chain: null, token_refs: null } }, true],
    ];
    for (const [label, value, fast] of cases) {
      expect(normalizeIntentObject(value) !== undefined, `${label}: fast path taken`).toBe(fast);
      check(value, label);
    }
  });

  test('the result shares nothing with the input', () => {
    const input = structuredClone({ ...TYPICAL, context: { ...TYPICAL.context, auth_context: { k: { deep: 'v' } } } });
    const n = normalizeIntentObject(input)!;
    expect(n.args).not.toBe(input.args);
    expect(n.context.auth_context).not.toBe(input.context.auth_context);
    expect(n.context.auth_context!.k).not.toBe(input.context.auth_context.k);
  });
});

describe('stripContextClaimsInPlace equals stripContextClaims', () => {
  test('over the corpus, fixtures and intents full of claims', () => {
    const claims = { ...TYPICAL, context: { ...TYPICAL.context, context_set_digest: 'a'.repeat(64), context_evidence_mode: 'required', context_refs: ['r'], auth_context: { z: 1, context_age_seconds: 5, a: ' x ' } } };
    const onlyAge = { ...TYPICAL, context: { ...TYPICAL.context, auth_context: { context_age_seconds: 5 } } };
    const inputs: unknown[] = [claims, onlyAge, FULL, ...corpusIntents().map(([, v]) => v), ...fixtureIntents().map(([, v]) => v)];
    let compared = 0;
    for (const input of inputs) {
      let a;
      let b;
      try {
        a = stripContextClaims(normalizeIntent(decodeIntentValue(input), { digests: false }), { digests: false });
        b = stripContextClaimsInPlace(normalizeIntent(decodeIntentValue(input), { digests: false }));
      } catch {
        continue;
      }
      compared++;
      expect(shape(b)).toEqual(shape(a));
    }
    expect(compared).toBeGreaterThan(300);
    expect(stripContextClaimsInPlace(normalizeIntent(decodeIntentValue(onlyAge))).context.auth_context).toBeUndefined();
  });
});
