/**
 * Hostile inputs, described as plain data (so fast-check prints and shrinks them) and built fresh
 * for every use by `build`: getters that change on each read, Proxies, lying `toJSON` methods,
 * keys that differ only in case (Go's decoder folds case, `ſ` and `K` included), `__proto__` and
 * `constructor` keys, inherited fields, exotic values (BigInt, Symbol, functions, Maps, cycles).
 */
import fc from 'fast-check';
import { baseIntentArb, policyObjectArb, type JsonObject } from './arbitraries.js';

type Path = Array<string | number>;

/** Lie values for the fields that decide verdicts. */
const LIES: Record<string, string[]> = {
  tool_name: ['tool.read', 'tool.delete', 'tool.write', 'tool.exec'],
  risk_class: ['low', 'critical', 'high'],
  identity: ['alice', 'agent.lead', 'mallory'],
  workspace: ['/repo/gait', '/etc'],
  kind: ['path', 'host', 'url'],
  value: ['/tmp/out.txt', '/etc/passwd', 'api.external.com'],
  operation: ['read', 'delete', 'write'],
  phase: ['plan', 'apply'],
  default_verdict: ['allow', 'block'],
};

/** Paths to verdict-relevant string fields present in an intent (or policy). */
function fieldPaths(v: JsonObject): Path[] {
  const out: Path[] = [];
  if ('tool_name' in v) out.push(['tool_name']);
  if ('default_verdict' in v) out.push(['default_verdict']);
  const ctx = v['context'];
  if (ctx && typeof ctx === 'object' && !Array.isArray(ctx)) for (const k of ['risk_class', 'identity', 'workspace', 'phase']) if (k in ctx) out.push(['context', k]);
  const ts = v['targets'];
  if (Array.isArray(ts) && ts[0] && typeof ts[0] === 'object') for (const k of ['kind', 'value', 'operation']) if (k in (ts[0] as object)) out.push(['targets', 0, k]);
  if (out.length === 0) out.push(['tool_name']);
  return out;
}

function parentOf(root: any, path: Path): any {
  let o = root;
  for (const k of path.slice(0, -1)) o = o[k];
  return o;
}

/** A case variant of `key` (bits choose which letters flip; `s`/`k` may become `ſ`/`K`). */
export function caseVariant(key: string, bits: number, unicode: boolean): string {
  let out = '';
  let b = bits;
  for (const ch of key) {
    const flip = b & 1;
    b = (b >>> 1) | ((b & 1) << 30);
    if (unicode && ch === 's' && flip) out += '\u017f';
    else if (unicode && ch === 'k' && flip) out += '\u212a';
    else out += flip ? ch.toUpperCase() : ch;
  }
  return out === key ? key.toUpperCase() : out;
}

export type Hostile =
  | { kind: 'case_variant'; base: JsonObject; field: number; bits: number; unicode: boolean; lie: number; before: boolean }
  | { kind: 'proto_key'; base: JsonObject; field: number; lie: number; where: '__proto__' | 'constructor' | 'prototype' }
  | { kind: 'inherited'; base: JsonObject; field: number; lie: number }
  | { kind: 'to_json'; base: JsonObject; lie: JsonObject; at: 'root' | 'context'; how: 'own' | 'class' }
  | { kind: 'proxy'; base: JsonObject; mode: 'transparent' | 'no_descriptors' }
  | { kind: 'exotic'; base: JsonObject; at: number; value: Exotic }
  | { kind: 'throwing'; base: JsonObject; field: number; how: ThrowHow }
  | { kind: 'getter'; base: JsonObject; field: number; lies: number[] }
  | { kind: 'proxy_alternating'; base: JsonObject; field: number; lie: number };

export type Exotic = 'bigint' | 'symbol' | 'function' | 'undefined' | 'nan' | 'infinity' | 'date' | 'map' | 'set' | 'typed_array'
  | 'sparse_array' | 'boxed_string' | 'cycle' | 'symbol_key' | 'class_instance' | 'null_proto' | 'negative_zero' | 'frozen' | 'regexp' | 'error';
export type ThrowHow = 'getter_error' | 'getter_type_error' | 'getter_string' | 'proxy_get' | 'proxy_own_keys' | 'proxy_descriptor' | 'revoked_proxy' | 'to_json_throws';

/** Hostile kinds whose observable value does not change between reads (determinism applies). */
export const STABLE_KINDS = ['case_variant', 'proto_key', 'inherited', 'to_json', 'proxy', 'exotic'] as const;
/** Hostile kinds that throw from user code. */
export const THROWING_KINDS = ['throwing'] as const;
/** Hostile kinds that change on each read (time-of-check / time-of-use). */
export const UNSTABLE_KINDS = ['getter', 'proxy_alternating'] as const;

const EXOTICS: Exotic[] = ['bigint', 'symbol', 'function', 'undefined', 'nan', 'infinity', 'date', 'map', 'set', 'typed_array', 'sparse_array',
  'boxed_string', 'cycle', 'symbol_key', 'class_instance', 'null_proto', 'negative_zero', 'frozen', 'regexp', 'error'];
const THROWS: ThrowHow[] = ['getter_error', 'getter_type_error', 'getter_string', 'proxy_get', 'proxy_own_keys', 'proxy_descriptor', 'revoked_proxy', 'to_json_throws'];

export function hostileArb(kinds: readonly Hostile['kind'][], base: fc.Arbitrary<JsonObject> = baseIntentArb): fc.Arbitrary<Hostile> {
  const byKind: Record<Hostile['kind'], fc.Arbitrary<Hostile>> = {
    case_variant: fc.record({ kind: fc.constant('case_variant' as const), base, field: fc.nat(), bits: fc.nat(), unicode: fc.boolean(), lie: fc.nat(), before: fc.boolean() }),
    proto_key: fc.record({ kind: fc.constant('proto_key' as const), base, field: fc.nat(), lie: fc.nat(), where: fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const) }),
    inherited: fc.record({ kind: fc.constant('inherited' as const), base, field: fc.nat(), lie: fc.nat() }),
    to_json: fc.record({ kind: fc.constant('to_json' as const), base, lie: base, at: fc.constantFrom('root' as const, 'context' as const), how: fc.constantFrom('own' as const, 'class' as const) }),
    proxy: fc.record({ kind: fc.constant('proxy' as const), base, mode: fc.constantFrom('transparent' as const, 'no_descriptors' as const) }),
    exotic: fc.record({ kind: fc.constant('exotic' as const), base, at: fc.nat(), value: fc.constantFrom(...EXOTICS) }),
    throwing: fc.record({ kind: fc.constant('throwing' as const), base, field: fc.nat(), how: fc.constantFrom(...THROWS) }),
    getter: fc.record({ kind: fc.constant('getter' as const), base, field: fc.nat(), lies: fc.array(fc.nat(), { minLength: 2, maxLength: 4 }) }),
    proxy_alternating: fc.record({ kind: fc.constant('proxy_alternating' as const), base, field: fc.nat(), lie: fc.nat() }),
  };
  return fc.oneof(...kinds.map((k) => byKind[k]));
}

/** Same hostile shapes over policy objects (for createGate). */
export function hostilePolicyArb(kinds: readonly Hostile['kind'][]): fc.Arbitrary<Hostile> {
  return hostileArb(kinds, policyObjectArb);
}

function lieFor(path: Path, n: number, current: unknown): string {
  const pool = LIES[String(path[path.length - 1])] ?? ['x'];
  const different = pool.filter((v) => v !== current);
  return (different.length ? different : pool)[n % (different.length || pool.length)]!;
}

/** Every object/array path in v (for placing exotic values). */
function containerPaths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (v !== null && typeof v === 'object') {
    out.push(prefix);
    for (const [k, x] of Object.entries(v)) containerPaths(x, [...prefix, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}

function exoticValue(e: Exotic, root: unknown): unknown {
  switch (e) {
    case 'bigint': return 10n;
    case 'symbol': return Symbol('s');
    case 'function': return () => 'tool.delete';
    case 'undefined': return undefined;
    case 'nan': return NaN;
    case 'infinity': return -Infinity;
    case 'date': return new Date(0);
    case 'map': return new Map([['tool_name', 'tool.delete']]);
    case 'set': return new Set(['a']);
    case 'typed_array': return new Uint8Array([1, 2, 3]);
    case 'sparse_array': { const a: unknown[] = []; a[3] = 'x'; return a; }
    case 'boxed_string': return new String('tool.read');
    case 'cycle': return root;
    case 'class_instance': return new (class Point { x = 1; y = 'tool.delete'; })();
    case 'null_proto': return Object.assign(Object.create(null), { a: 1 });
    case 'negative_zero': return -0;
    case 'regexp': return /x/g;
    case 'error': return new Error('e');
    default: return 'x';
  }
}

/** Builds the hostile value a description stands for (a fresh object, fresh state, each call). */
export function build(h: Hostile): unknown {
  const root: any = structuredClone(h.base);
  const fields = 'field' in h ? fieldPaths(root) : [];
  const path = fields.length ? fields[((h as { field?: number }).field ?? 0) % fields.length]! : [];
  const key = path[path.length - 1] as string;
  switch (h.kind) {
    case 'case_variant': {
      const parent = parentOf(root, path);
      const variant = caseVariant(key, h.bits, h.unicode);
      const lie = lieFor(path, h.lie, parent[key]);
      const entries = Object.entries(parent);
      for (const k of Object.keys(parent)) delete parent[k];
      for (const [k, v] of entries) {
        if (k === key && h.before) parent[variant] = lie;
        parent[k] = v;
        if (k === key && !h.before) parent[variant] = lie;
      }
      return root;
    }
    case 'proto_key': {
      const parent = parentOf(root, path);
      // As JSON.parse makes it: an own property named __proto__ (not a prototype change).
      Object.defineProperty(parent, h.where, { value: { [key]: lieFor(path, h.lie, parent[key]) }, enumerable: true, configurable: true, writable: true });
      return root;
    }
    case 'inherited': {
      const parent = parentOf(root, path);
      const lie = lieFor(path, h.lie, parent[key]);
      delete parent[key];
      Object.setPrototypeOf(parent, { [key]: lie });
      return root;
    }
    case 'to_json': {
      const target = h.at === 'root' ? root : root.context;
      const lie = h.at === 'root' ? structuredClone(h.lie) : structuredClone(h.lie['context']);
      if (target === undefined || target === null) return root;
      if (h.how === 'own') target.toJSON = () => lie;
      else Object.setPrototypeOf(target, { toJSON: () => lie });
      return root;
    }
    case 'proxy': {
      const wrap = (o: any): any => {
        if (o === null || typeof o !== 'object') return o;
        for (const k of Object.keys(o)) o[k] = wrap(o[k]);
        return new Proxy(o, h.mode === 'transparent' ? {} : { getOwnPropertyDescriptor: (t, p) => { const d = Reflect.getOwnPropertyDescriptor(t, p); return d; } });
      };
      return wrap(root);
    }
    case 'exotic': {
      const spots = containerPaths(root);
      const spot = spots[h.at % spots.length]!;
      const container = spot.reduce((o: any, k) => o[k], root);
      if (h.value === 'symbol_key') container[Symbol('k') as any] = 'tool.delete';
      else if (h.value === 'frozen') deepFreeze(root);
      else if (Array.isArray(container)) container.push(exoticValue(h.value, root));
      else container['x_exotic'] = exoticValue(h.value, root);
      return root;
    }
    case 'throwing': {
      const parent = parentOf(root, path);
      const thrower = () => {
        if (h.how === 'getter_type_error') throw new TypeError('hostile getter');
        if (h.how === 'getter_string') throw 'hostile string'; // eslint-disable-line no-throw-literal
        throw new Error('hostile getter');
      };
      switch (h.how) {
        case 'getter_error': case 'getter_type_error': case 'getter_string':
          Object.defineProperty(parent, key, { get: thrower, enumerable: true, configurable: true });
          return root;
        case 'to_json_throws':
          root.toJSON = thrower;
          return root;
        case 'proxy_get': return new Proxy(root, { get: (t, p, r) => (p === key ? thrower() : Reflect.get(t, p, r)) });
        case 'proxy_own_keys': return new Proxy(root, { ownKeys: () => thrower() });
        case 'proxy_descriptor': return new Proxy(root, { getOwnPropertyDescriptor: () => thrower() });
        case 'revoked_proxy': { const { proxy, revoke } = Proxy.revocable(root, {}); revoke(); return proxy; }
      }
      return root;
    }
    case 'getter': {
      const parent = parentOf(root, path);
      const values = [parent[key], ...h.lies.map((n) => lieFor(path, n, parent[key]))];
      let reads = 0;
      Object.defineProperty(parent, key, { get: () => values[reads++ % values.length], enumerable: true, configurable: true });
      return root;
    }
    case 'proxy_alternating': {
      const parentPath = path.slice(0, -1);
      const parent = parentOf(root, path);
      const values = [parent[key], lieFor(path, h.lie, parent[key])];
      let reads = 0;
      const proxied = new Proxy(parent, {
        get: (t, p, r) => (p === key ? values[reads++ % 2] : Reflect.get(t, p, r)),
        getOwnPropertyDescriptor: (t, p) => {
          const d = Reflect.getOwnPropertyDescriptor(t, p);
          return d && p === key ? { ...d, value: values[reads++ % 2] } : d;
        },
      });
      if (parentPath.length === 0) return proxied;
      parentOf(root, parentPath.concat(['x']))[parentPath[parentPath.length - 1]!] = proxied;
      return root;
    }
  }
}

export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as any)[k]);
  }
  return v;
}
