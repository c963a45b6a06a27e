import { describe, expect, test } from 'vitest';
import { decodeIntentValue, fastDecodeIntentValue, slowDecodeIntentValue } from '../../bindings/intent/decode.js';
import { corpusIntents, fixtureIntents, FULL, mutate, nest, rng, Thing, TYPICAL } from './inputs.js';

// ---- outcomes ----------------------------------------------------------------------------------

/** A comparable picture of a decoded value: Maps become entry lists, so member order counts too. */
function shape(v: unknown): unknown {
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [k, shape(x)]) };
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = shape((v as Record<string, unknown>)[k]);
    return out;
  }
  if (Object.is(v, -0)) return '-0';
  return v;
}

type Outcome = { ok: unknown } | { error: string; type: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: shape(run()) };
  } catch (err) {
    return { error: (err as Error).message, type: (err as Error).constructor.name };
  }
}

const stats = { fast: 0, fallback: 0 };

/** The fast path either declines or gives exactly the slow path's result; decodeIntentValue agrees. */
function check(value: unknown, label: string): void {
  const slow = outcome(() => slowDecodeIntentValue(value));
  let fast: unknown;
  expect(() => (fast = fastDecodeIntentValue(value)), `${label}: fast path must not throw`).not.toThrow();
  if (fast === undefined) stats.fallback++;
  else {
    stats.fast++;
    expect({ ok: shape(fast) }, label).toEqual(slow);
    // Also the raw values (Maps compared by vitest's own equality).
    expect(fast, label).toEqual(slowDecodeIntentValue(value));
  }
  expect(outcome(() => decodeIntentValue(value)), label).toEqual(slow);
}

// ---- tests -------------------------------------------------------------------------------------

describe('decodeIntentValue fast path equals the general path', () => {
  const corpus = corpusIntents();
  const fixtures = fixtureIntents();

  test('the inputs are there', () => {
    expect(corpus.length).toBeGreaterThan(500);
    expect(fixtures.length).toBeGreaterThan(0);
  });

  test('the typical intent and a fully populated one take the fast path', () => {
    expect(fastDecodeIntentValue(TYPICAL)).toBeDefined();
    expect(fastDecodeIntentValue(FULL)).toBeDefined();
    check(TYPICAL, 'typical');
    check(FULL, 'full');
  });

  test('every corpus intent', () => {
    const before = stats.fast;
    for (const [id, intent] of corpus) check(intent, id);
    // Most corpus intents are plain and well typed.
    expect(stats.fast - before).toBeGreaterThan(corpus.length / 2);
  });

  test('every fixture intent', () => {
    for (const [path, intent] of fixtures) check(intent, path);
  });

  test('seeded random mutations', () => {
    const bases: unknown[] = [TYPICAL, FULL, ...corpus.map(([, v]) => v), ...fixtures.map(([, v]) => v)];
    const r = rng(20261125);
    const before = { ...stats };
    for (let i = 0; i < 1500; i++) {
      const base = bases[Math.floor(r() * bases.length)];
      check(mutate(base, r), `mutation #${i}`);
    }
    // Both paths get real exercise.
    expect(stats.fast - before.fast).toBeGreaterThan(200);
    expect(stats.fallback - before.fallback).toBeGreaterThan(200);
  });

  test('hand-picked edge cases', () => {
    const cyclic: Record<string, unknown> = { tool_name: 't' };
    cyclic.args = cyclic;
    const cyclicArgs: Record<string, unknown> = {};
    cyclicArgs.self = cyclicArgs;
    const getter = { get tool_name() { return 'from getter'; } };
    const throwing = { get tool_name(): string { throw new Error('boom'); } };
    const cases: Array<[string, unknown]> = [
      ['null', null],
      ['undefined', undefined],
      ['string', 'x'],
      ['array', []],
      ['empty', {}],
      ['null prototype', Object.assign(Object.create(null), TYPICAL)],
      ['class instance', new Thing()],
      ['Map input', new Map([['tool_name', 'x']])],
      ['cyclic', cyclic],
      ['cyclic args', { tool_name: 't', args: cyclicArgs }],
      ['getter', getter],
      ['throwing getter', throwing],
      ['case duplicates', { tool_name: 'a', TOOL_NAME: 'b' }],
      ['case only', { Tool_Name: 'a' }],
      ['folded s', { ſchema_id: 'x' }],
      ['lone surrogate keys collide', { tool_name: 't', args: { '\ud800': 1, '\ud801': 2, a: 3 } }],
      ['lone surrogate keys collide around another', { args: { '\ud800': 1, a: 3, '\ud801': 2 } }],
      ['args key order', { args: { b: 1, a: 2, 10: 3, 2: 4 } }],
      ['undefined members', { tool_name: undefined, args: { a: undefined, b: () => 1, c: Symbol('x') } }],
      ['undefined in arrays', { args: { a: [undefined, () => 1, Symbol('y')] }, context: { context_refs: [undefined, null, 'x'] } }],
      ['null parts', { script: null, targets: null, arg_provenance: null, skill_provenance: null, delegation: null, relationship: null, context: null, args: null, created_at: null }],
      ['null in slices', { targets: [null, { kind: 'p' }], relationship: { edges: [{ from: null, to: { kind: 'x' } }] } }],
      ['empty time', { created_at: '', delegation: { issued_at: '', chain: [{ expires_at: '' }] } }],
      ['bad time', { created_at: '2026-02-30T00:00:00Z' }],
      ['number time', { created_at: 5 }],
      ['time with escapes', { created_at: '2026-02-05T00:00:00Z\n' }],
      ['BigInt in dropped member', { unknown: 1n }],
      ['NaN in dropped member', { unknown: [NaN] }],
      ['deep dropped member', { unknown: nest(70) }],
      ['deep args 47', { args: { a: nest(47) } }],
      ['deep args 63', { args: { a: nest(63) } }],
      ['deep args 70', { args: { a: nest(70) } }],
      ['Date in args', { args: { when: new Date(0) } }],
      ['Map in args', { args: new Map([['a', 1]]) }],
      ['nested Map in args', { args: { m: new Map([['a', 1]]) } }],
      ['negative zero', { args: { z: -0, list: [-0] } }],
      ['wrong types', { tool_name: 1, targets: {}, context: [], args: 'x', script: { steps: 'x' } }],
      ['bool as string', { targets: [{ destructive: 'true' }] }],
      ['proto key', JSON.parse('{"__proto__":{"tool_name":"x"},"tool_name":"y","args":{"__proto__":1}}')],
    ];
    for (const [label, value] of cases) check(value, label);
    expect(fastDecodeIntentValue({ tool_name: 't', args: { '\ud800': 1, '\ud801': 2, a: 3 } })).toBeDefined();
    expect(fastDecodeIntentValue({ args: { '\ud800': 1, a: 3, '\ud801': 2 } })).toBeDefined();
    expect(fastDecodeIntentValue({ created_at: '2026-02-05T00:00:00Z' })).toBeDefined();
  });
});
