/**
 * Intent inputs shared by the fast-path equivalence tests (fast-decode, encode-object): the
 * conformance corpus, the fixture intents, two hand-written intents and seeded mutations that
 * reach every odd corner a parsed JS value can have.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from './helpers.js';

// ---- inputs ------------------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function corpusIntents(): Array<[string, unknown]> {
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

export function fixtureIntents(): Array<[string, unknown]> {
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

export const TYPICAL = {
  tool_name: 'tool.write',
  args: { path: '/tmp/out.txt', content: 'hello' },
  targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'bench-user', workspace: '/tmp/workspace', risk_class: 'high' },
};

export const FULL = {
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

/** A script with step-level targets only (aggregated to the top) and one with its own. */
export const SCRIPT = {
  schema_id: 'gait.gate.intent_request',
  created_at: '2026-02-05T00:00:00Z',
  tool_name: 'ignored for scripts',
  args: {},
  context: { identity: 'u', workspace: '/tmp', risk_class: 'high' },
  script: {
    steps: [
      { tool_name: ' Tool.Write ', args: { path: '/tmp/b', n: 1 }, targets: [{ kind: 'path', value: '/tmp/b' }], arg_provenance: [{ arg_path: '$.path', source: 'user' }] },
      { tool_name: 'tool.read', args: null, targets: [{ kind: 'path', value: '/tmp/a', operation: 'read' }, { kind: 'path', value: '/tmp/b' }] },
      { tool_name: 'tool.exec', targets: [{ kind: 'other', value: 'ls' }], arg_provenance: [{ arg_path: '$.cmd', source: 'system' }] },
    ],
  },
};
/** A delegated intent with skill provenance, valid. */
export const DELEGATED = {
  ...TYPICAL,
  skill_provenance: { skill_name: ' s ', skill_version: '1', source: ' Registry ', publisher: ' Acme ', digest: 'A'.repeat(64), signature_key_id: 'k' },
  delegation: {
    requester_identity: ' b ', scope_class: ' Write ', token_refs: ['t2', ' t1 ', 't2', null],
    chain: [
      { delegator_identity: 'root', delegate_identity: 'a', scope_class: 'write', token_ref: 'r1', issued_at: '2026-01-01T00:00:00Z', expires_at: '2026-01-02T01:00:00+01:00' },
      { delegator_identity: ' a ', delegate_identity: 'b', issued_at: null, expires_at: '' },
    ],
    issued_at: '2026-01-01T00:00:00.500Z', expires_at: '2026-01-03T00:00:00Z',
  },
};
// ---- seeded mutations --------------------------------------------------------------------------

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Thing {
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

export function mutate(base: unknown, r: () => number): unknown {
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

export function nest(n: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { d: v };
  return v;
}

