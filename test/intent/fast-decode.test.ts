import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { decodeIntentValue, fastDecodeIntentValue, slowDecodeIntentValue } from '../../bindings/intent/decode.js';
import { FIXTURES } from './helpers.js';

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

// ---- inputs ------------------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function corpusIntents(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const lines = readFileSync(join(ROOT, 'conformance/corpus.jsonl'), 'utf8').split('\n');
  for (const line of lines) {
    if (line.trim() === '') continue;
    const c = JSON.parse(line) as { id: string; intent?: unknown };
    if (typeof c.intent !== 'string') continue;
    try {
      out.push([c.id, JSON.parse(c.intent)]);
    } catch {
      // not valid JSON: only the text decoder sees these
    }
  }
  return out;
}

function fixtureIntents(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/^intent.*\.json$/.test(name)) {
        try {
          out.push([p, JSON.parse(readFileSync(p, 'utf8'))]);
        } catch {
          // not JSON
        }
      }
    }
  };
  walk(fileURLToPath(FIXTURES));
  return out;
}

const TYPICAL = {
  tool_name: 'tool.write',
  args: { path: '/tmp/out.txt', content: 'hello' },
  targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'bench-user', workspace: '/tmp/workspace', risk_class: 'high' },
};

const FULL = {
  schema_id: 'gait.gate.intent_request',
  schema_version: '1.0.0',
  created_at: '2026-02-05T00:00:00Z',
  producer_version: '0.0.0',
  tool_name: 'tool.write',
  args: { path: '/tmp/x', n: 1.5, list: [1, 'a', null, true, { deep: { x: [] } }], '10': 'int-like', b: false },
  args_digest: 'a'.repeat(64),
  intent_digest: 'b'.repeat(64),
  script_hash: '',
  script: {
    steps: [
      { tool_name: 'tool.read', args: { p: 'a' }, targets: [{ kind: 'path', value: '/a', destructive: true }], arg_provenance: [{ arg_path: '$.p', source: 'user' }] },
      { tool_name: 'tool.write', args: null, targets: null, arg_provenance: [] },
    ],
  },
  targets: [
    { kind: 'url', value: 'https://example.com', operation: 'get', sensitivity: 'low', endpoint_class: 'net.http', endpoint_domain: 'example.com', destructive: false, discovery_method: 'static', read_only_hint: true, destructive_hint: false, idempotent_hint: true, open_world_hint: true },
  ],
  arg_provenance: [{ arg_path: '$.path', source: 'user', source_ref: 'r', integrity_digest: 'd' }],
  skill_provenance: { skill_name: 's', skill_version: '1', source: 'registry', publisher: 'p', digest: 'd', signature_key_id: 'k' },
  delegation: {
    requester_identity: 'agent', scope_class: 'write', token_refs: ['t1', 't2'],
    chain: [{ delegator_identity: 'a', delegate_identity: 'b', scope_class: 'c', token_ref: 't', issued_at: '2026-01-01T00:00:00Z', expires_at: '2026-01-02T00:00:00.5+01:00' }],
    issued_at: '2026-01-01T00:00:00Z', expires_at: null,
  },
  relationship: {
    parent_ref: { kind: 'trace', id: 'x' }, entity_refs: [{ kind: 'e', id: '1' }],
    policy_ref: { policy_id: 'p', policy_version: '1', policy_digest: 'd', matched_rule_ids: ['r1'] },
    agent_chain: [{ identity: 'a', role: 'r' }], edges: [{ kind: 'k', from: { kind: 'a', id: '1' }, to: { kind: 'b', id: '2' } }],
    parent_record_id: 'p', related_record_ids: ['x'], related_entity_ids: ['y'],
    agent_lineage: [{ agent_id: 'a', delegated_by: 'b', delegation_record_id: 'c' }],
  },
  context: {
    identity: 'u', workspace: '/w', risk_class: 'high', phase: 'apply', job_id: 'j', session_id: 's', request_id: 'r',
    auth_context: { scopes: ['a'], nested: { k: 1 } }, credential_scopes: ['s1'], environment_fingerprint: 'e',
    context_set_digest: 'c', context_evidence_mode: 'required', context_refs: ['x'],
  },
};

// ---- seeded mutations --------------------------------------------------------------------------

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Thing {
  kind = 'path';
}

const STRANGE_STRINGS = [
  '', ' ', '  padded  ', '\t\n', '\u00a0nbsp\u3000', 'emoji 😀', 'lone \ud800 high', 'lone \udc00 low', '\u2028\u2029',
  'quote " back \\ slash', 'ſ', 'K', '2026-02-05T00:00:00Z', '2026-02-05T00:00:00+25:00', '2026-13-01T00:00:00Z',
  '2026-02-05 00:00:00Z', '2026-02-05T00:00:00.123456789Z', 'null', '\u0000ctl',
];

function strangeValue(r: () => number, depth = 0): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  switch (Math.floor(r() * 22)) {
    case 0: return null;
    case 1: return undefined;
    case 2: return pick([true, false]);
    case 3: return pick([0, -0, 1, -1.5, 1e300, 2 ** 53 + 1, Number.MIN_VALUE]);
    case 4: return pick([NaN, Infinity, -Infinity]);
    case 5: return 10n;
    case 6: return pick(STRANGE_STRINGS);
    case 7: return [];
    case 8: return {};
    case 9: return depth < 3 ? [strangeValue(r, depth + 1), strangeValue(r, depth + 1)] : [];
    case 10: return depth < 3 ? { a: strangeValue(r, depth + 1), ' b ': strangeValue(r, depth + 1) } : {};
    case 11: return new Map([['k', 'v']]);
    case 12: return new Date(0);
    case 13: return new Thing();
    case 14: return Object.assign(Object.create(null), { kind: 'x' });
    case 15: return new String('boxed');
    case 16: return () => 1;
    case 17: return Symbol('s');
    case 18: return { toJSON: () => 'from toJSON' };
    case 19: return [1, , 3]; // a hole
    case 20: return pick([['a', 'b'], ['a', null], [null], ['a', 1]]);
    default: {
      let deep: unknown = 'bottom';
      const n = pick([10, 47, 50, 62, 63, 64, 70]);
      for (let i = 0; i < n; i++) deep = pick([true, false]) ? { d: deep } : [deep];
      return deep;
    }
  }
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Every (container, key) position in a value, for picking a mutation site. */
function sites(v: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), sites(x, out)));
  else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const k of Object.keys(v)) {
      out.push([v as Record<string, unknown>, k]);
      sites((v as Record<string, unknown>)[k], out);
    }
  }
  return out;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function caseVariant(key: string, r: () => number): string {
  const variants = [
    key.toUpperCase(),
    key.charAt(0).toUpperCase() + key.slice(1),
    key.replace(/s/, 'ſ'),
    key.replace(/k/, '\u212a'),
    key.replace(/i/, '\u0131'),
    key.replace(/_/g, ''),
    ` ${key}`,
  ];
  return variants[Math.floor(r() * variants.length)]!;
}

function mutate(base: unknown, r: () => number): unknown {
  const root = clone(base);
  const count = 1 + Math.floor(r() * 3);
  for (let m = 0; m < count; m++) {
    const all = sites(root);
    if (all.length === 0) break;
    const [container, key] = all[Math.floor(r() * all.length)]!;
    const op = Math.floor(r() * 7);
    if (Array.isArray(container)) {
      const i = key as number;
      if (op === 0) container.splice(i, 1);
      else if (op === 1) container[i] = null;
      else container[i] = strangeValue(r);
      continue;
    }
    const k = key as string;
    switch (op) {
      case 0: // drop
        delete container[k];
        break;
      case 1: // null
        container[k] = null;
        break;
      case 2: // wrong type / odd value
      case 3:
        container[k] = strangeValue(r);
        break;
      case 4: // extra key
        setKey(container, Math.floor(r() * 2) === 0 ? `extra_${Math.floor(r() * 5)}` : ['__proto__', 'toJSON', '0', 'x-y'][Math.floor(r() * 4)]!, strangeValue(r));
        break;
      case 5: { // case variant (renamed or alongside)
        const variant = caseVariant(k, r);
        const v = container[k];
        if (r() < 0.5) delete container[k];
        setKey(container, variant, r() < 0.5 ? v : strangeValue(r));
        break;
      }
      default: { // a strange string where a string was
        container[k] = STRANGE_STRINGS[Math.floor(r() * STRANGE_STRINGS.length)];
        break;
      }
    }
  }
  return root;
}

function nest(n: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { d: v };
  return v;
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
