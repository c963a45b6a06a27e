// Property-based tests of ToolAdapter (property 2 of the security review): the executor runs if and
// only if the decision allows it, and what it receives is what the gate judged: an immutable plain
// value that, judged again (as it is, and as a tool reads it: by its canonical field names), is
// allowed. Hostile inputs (getters that change, lying toJSON, case-variant keys) are where a
// time-of-check/time-of-use gap would show. Settings and replay: test/fuzz/settings.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { types } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { instantiateSync, createGate, GaitError, Gate, ToolAdapter, GateEnforcementError, GateEvaluationError } from '../../bindings/index.js';
import { DISCRIMINATING_POLICIES, ROOT, baseIntentArb, intentTextArb, mutatedJson, policyPoolArb } from './arbitraries.js';
import { build, hostileArb, STABLE_KINDS, THROWING_KINDS, UNSTABLE_KINDS, type Hostile } from './hostile.js';
import { POOL_SIZE, SEED, property, summary } from './settings.js';

const engine = instantiateSync(readFileSync(join(ROOT, 'dist/core.wasm')));
const gates = new Map<string, Gate | null>();
function gateOf(text: string): Gate | null {
  let g = gates.get(text);
  if (g === undefined) {
    try {
      g = createGate(engine, text);
    } catch (err) {
      if (!(err instanceof GaitError)) throw err;
      g = null;
    }
    if (gates.size > 5000) gates.clear();
    gates.set(text, g);
  }
  return g;
}
/**
 * Valid policy texts from a fixed pool (see policyPoolArb), with extra weight on the
 * discriminating ones: a lie that reaches the executor only shows where it changes the verdict.
 */
const policyArb = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...DISCRIMINATING_POLICIES) },
  { weight: 2, arbitrary: policyPoolArb(SEED, POOL_SIZE, (t) => gateOf(t) !== null) },
);

// ---- what a tool sees ------------------------------------------------------------------------------

type Schema = { [field: string]: Schema | [Schema] | 'plain' | 'scalar' };
const TARGET: Schema = Object.fromEntries(['kind', 'value', 'operation', 'sensitivity', 'endpoint_class', 'endpoint_domain', 'destructive', 'discovery_method',
  'read_only_hint', 'destructive_hint', 'idempotent_hint', 'open_world_hint'].map((k) => [k, 'scalar']));
const PROVENANCE: Schema = { arg_path: 'scalar', source: 'scalar', source_ref: 'scalar', integrity_digest: 'scalar' };
const LINK: Schema = Object.fromEntries(['delegator_identity', 'delegate_identity', 'scope_class', 'token_ref', 'issued_at', 'expires_at'].map((k) => [k, 'scalar']));
const INTENT: Schema = {
  schema_id: 'scalar', schema_version: 'scalar', created_at: 'scalar', producer_version: 'scalar', tool_name: 'scalar', args: 'plain',
  args_digest: 'scalar', intent_digest: 'scalar', script_hash: 'scalar',
  script: { steps: [{ tool_name: 'scalar', args: 'plain', targets: [TARGET], arg_provenance: [PROVENANCE] }] },
  targets: [TARGET], arg_provenance: [PROVENANCE],
  skill_provenance: Object.fromEntries(['skill_name', 'skill_version', 'source', 'publisher', 'digest', 'signature_key_id'].map((k) => [k, 'scalar'])),
  delegation: { requester_identity: 'scalar', scope_class: 'scalar', token_refs: 'plain', chain: [LINK], issued_at: 'scalar', expires_at: 'scalar' },
  relationship: 'plain',
  context: {
    ...Object.fromEntries(['identity', 'workspace', 'risk_class', 'phase', 'job_id', 'session_id', 'request_id', 'environment_fingerprint',
      'context_set_digest', 'context_evidence_mode'].map((k) => [k, 'scalar'])),
    auth_context: 'plain', credential_scopes: 'plain', context_refs: 'plain',
  },
};

/** A deep copy made the way code reads data: property by property, never calling toJSON. */
function plainCopy(v: unknown, depth = 0): unknown {
  if (depth > 100 || v === null || typeof v !== 'object') return v;
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plainCopy(x, depth + 1)]));
  if (Array.isArray(v)) return Array.from(v, (x) => plainCopy(x, depth + 1));
  return Object.fromEntries(Object.keys(v).filter((k) => k !== 'toJSON').map((k) => [k, plainCopy((v as any)[k], depth + 1)]));
}

/**
 * The intent as a tool reads it: each field by its exact canonical name (`intent.tool_name`,
 * `intent.context.risk_class`), so a case-variant twin the gate's decoder folded in is not seen.
 */
function toolView(v: unknown, schema: Schema | 'plain' | 'scalar' | [Schema] = INTENT): unknown {
  if (typeof v === 'string' && schema === INTENT) return v; // JSON text: re-judging the same text
  if (schema === 'plain' || schema === 'scalar') return plainCopy(v);
  if (Array.isArray(schema)) return Array.isArray(v) ? v.map((x) => toolView(x, schema[0])) : plainCopy(v);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return plainCopy(v);
  const get = (k: string) => (v instanceof Map ? v.get(k) : (v as any)[k]);
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(schema)) {
    const has = v instanceof Map ? v.has(k) : Object.prototype.hasOwnProperty.call(v, k);
    if (has) out[k] = toolView(get(k), sub);
  }
  return out;
}

/** Why `v` is not an immutable plain JSON value ('' when it is). */
function notFrozenPlain(v: unknown, at = '$'): string {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return '';
  if (typeof v === 'number') return Number.isFinite(v) ? '' : `${at} is ${v}`;
  if (typeof v !== 'object') return `${at} is a ${typeof v}`;
  if (types.isProxy(v)) return `${at} is a Proxy`;
  if (!Object.isFrozen(v)) return `${at} is not frozen`;
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v) ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) return `${at} is not a plain object or array`;
  for (const key of Reflect.ownKeys(v)) {
    if (typeof key === 'symbol') return `${at} has a symbol key`;
    if (Array.isArray(v) && key === 'length') continue;
    const d = Object.getOwnPropertyDescriptor(v, key)!;
    if (!('value' in d)) return `${at}.${key} is an accessor`;
    if (key === 'toJSON') return `${at} has toJSON`;
    const why = notFrozenPlain(d.value, `${at}.${key}`);
    if (why) return why;
  }
  return '';
}

// ---- running the adapter ---------------------------------------------------------------------------

interface Run {
  executed: boolean;
  calls: unknown[];
  verdict?: string;
  error?: unknown;
}

async function runAdapter(gate: Gate, intent: unknown): Promise<Run> {
  const calls: unknown[] = [];
  const executor = (received: unknown) => {
    calls.push(received);
    return 'tool ran';
  };
  try {
    const outcome = await new ToolAdapter(gate).execute({ intent, executor });
    return { executed: outcome.executed, calls, verdict: outcome.decision.verdict };
  } catch (error) {
    return { executed: false, calls, error };
  }
}

const seen: Record<string, number> = {};
afterAll(() => {
  console.log(`[fuzz] adapter outcomes: ${JSON.stringify(seen)}`);
  console.log(`[fuzz] adapter: ${summary()}`);
});

/** 2a: runs iff allow; never on block/require_approval/dry_run/evaluation error. */
function expectRunsIffAllow(r: Run): void {
  if (r.error !== undefined) {
    seen[r.error instanceof GateEnforcementError ? `refused_${r.error.decision.verdict}` : r.error instanceof GateEvaluationError ? 'evaluation_error' : 'other_error'] = (seen[r.error instanceof GateEnforcementError ? `refused_${r.error.decision.verdict}` : r.error instanceof GateEvaluationError ? 'evaluation_error' : 'other_error'] ?? 0) + 1;
    expect(r.calls, 'executor ran although execute threw').toHaveLength(0);
    const known = r.error instanceof GateEvaluationError || (r.error instanceof GateEnforcementError && r.error.decision.verdict !== 'allow' && r.error.decision.verdict !== 'dry_run');
    expect(known, `execute threw ${String(r.error)}`).toBe(true);
    return;
  }
  seen[r.verdict!] = (seen[r.verdict!] ?? 0) + 1;
  expect(r.executed, `executed with verdict ${r.verdict}`).toBe(r.verdict === 'allow');
  expect(r.calls).toHaveLength(r.executed ? 1 : 0);
  if (!r.executed) expect(r.verdict).toBe('dry_run');
}

/** 2c: the value the executor received, judged again, is allowed (as given, and as a tool reads it). */
function expectReceivedAllowed(gate: Gate, r: Run): void {
  if (!r.executed) return;
  const received = r.calls[0];
  const asGiven = (() => {
    try {
      return gate.decide(received).verdict;
    } catch (err) {
      return `throws ${String(err)}`;
    }
  })();
  expect(asGiven, 'gate.decide(received) after the adapter allowed').toBe('allow');
  const view = toolView(received);
  const asRead = (() => {
    try {
      return gate.decide(view).verdict;
    } catch (err) {
      return `throws ${String(err)}`;
    }
  })();
  expect(asRead, `gate.decide(what a tool reads of received) after the adapter allowed; tool reads ${JSON.stringify(view)}`).toBe('allow');
}

/** 2b: the executor gets an immutable plain value. */
function expectFrozenPlain(r: Run): void {
  if (!r.executed) return;
  expect(notFrozenPlain(r.calls[0]), 'received value').toBe('');
}

type Input = { plain: unknown } | { text: string } | Hostile;
const make = (x: Input): unknown => ('plain' in x ? structuredClone(x.plain) : 'text' in x ? x.text : build(x));
const plainInputs: fc.Arbitrary<Input> = fc.oneof(baseIntentArb, mutatedJson(baseIntentArb)).map((plain) => ({ plain }));
const textInputs: fc.Arbitrary<Input> = intentTextArb.map((text) => ({ text }));

describe('fuzz: ToolAdapter runs the tool iff the verdict is allow (property 2)', () => {
  it('adapter runs iff allow: runs iff allow, for every kind of input (plain, text, hostile, throwing)', async () => {
    const inputs = fc.oneof(plainInputs, textInputs, hostileArb([...STABLE_KINDS, ...UNSTABLE_KINDS, ...THROWING_KINDS]));
    await property('adapter runs iff allow', 'library', 300, fc.asyncProperty(policyArb, inputs, async (policy, x) => {
      expectRunsIffAllow(await runAdapter(gateOf(policy)!, make(x)));
    }));
  });

  it('adapter sink failure: a traceSink that throws or rejects stops execution, whatever the verdict', async () => {
    const inputs = fc.oneof(plainInputs, textInputs);
    await property('adapter sink failure', 'library', 150, fc.asyncProperty(policyArb, inputs, fc.boolean(), async (policy, x, reject) => {
      const calls: unknown[] = [];
      const traceSink = reject ? () => Promise.reject(new Error('sink down')) : () => { throw new Error('sink down'); };
      await new ToolAdapter(gateOf(policy)!, { traceSink }).execute({ intent: make(x), executor: (r) => void calls.push(r) }).catch(() => undefined);
      expect(calls).toHaveLength(0);
    }));
  });

  it('adapter re-judge plain: plain objects and JSON text: what the executor received is judged allow again', async () => {
    await property('adapter re-judge plain', 'library', 300, fc.asyncProperty(policyArb, fc.oneof(plainInputs, textInputs), async (policy, x) => {
      const gate = gateOf(policy)!;
      const r = await runAdapter(gate, make(x));
      expectRunsIffAllow(r);
      expectReceivedAllowed(gate, r);
    }));
  });

  // One property per hostile kind, so that each kind's failure (or pass) shows on its own.
  const KIND_NOTES: Record<string, string> = {
    case_variant: 'keys differing only in case (Go folds them; ſ and K included)',
    proto_key: '__proto__ / constructor / prototype as own keys',
    inherited: 'a field inherited from the prototype',
    to_json: 'a toJSON method that returns another intent',
    proxy: 'transparent Proxies',
    exotic: 'BigInt, Symbol, functions, Maps, cycles, ... inside the intent',
    getter: 'a getter that returns another value on each read',
    proxy_alternating: 'a Proxy whose get trap alternates',
  };
  for (const kind of [...STABLE_KINDS, ...UNSTABLE_KINDS]) {
    const name = `adapter re-judge ${kind}`;
    it(`${name}: ${KIND_NOTES[kind]}: the executor gets what the gate judged`, async () => {
      await property(name, 'library', 150, fc.asyncProperty(policyArb, hostileArb([kind]), async (policy, h) => {
        const gate = gateOf(policy)!;
        const r = await runAdapter(gate, build(h));
        expectRunsIffAllow(r);
        expectReceivedAllowed(gate, r);
      }));
    });
  }

  it('adapter passes frozen plain value: the executor receives an immutable plain value (deeply frozen, no accessors, Proxies or toJSON), even for a plain intent', async () => {
    const inputs = fc.oneof(plainInputs, textInputs);
    await property('adapter passes frozen plain value', 'library', 200, fc.asyncProperty(policyArb, inputs, async (policy, x) => {
      const r = await runAdapter(gateOf(policy)!, make(x));
      expectRunsIffAllow(r);
      expectFrozenPlain(r);
    }));
  });
});
