// Property-based tests of the library API (security review): only GaitError escapes, and the same
// input gives the same answer (twice; verdict() as evaluate(); an object as its JSON text).
// Settings, seeds and replay: test/fuzz/settings.ts. Long runs: `npm run fuzz`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { instantiateSync, createGate, GaitError, Gate, normalizeIntent, intentDigest, parsePolicyYaml, formatPolicy, policyDigest } from '../../bindings/index.js';
import { decodeIntentValue } from '../../bindings/intent/decode.js';
import { expectVerdictAgrees } from '../core/verdict-agreement.js';
import { ROOT, anyPolicyTextArb, baseIntentArb, intentTextArb, mutatedJson, policyObjectArb, policyPoolArb, VERDICTS } from './arbitraries.js';
import { build, hostileArb, hostilePolicyArb, STABLE_KINDS, THROWING_KINDS, UNSTABLE_KINDS } from './hostile.js';
import { POOL_SIZE, SEED, property, summary } from './settings.js';

const engine = instantiateSync(readFileSync(join(ROOT, 'dist/core.wasm')));

/** Passes when `run` returns or throws a GaitError with a known category; rethrows anything else. */
const CATEGORIES = new Set(['invalid_input', 'verification_failed', 'policy_blocked', 'approval_required', 'dependency_missing', 'io_failure', 'state_contention', 'internal_failure']);
function onlyGaitError<T>(label: string, run: () => T): T | GaitError {
  try {
    return run();
  } catch (err) {
    if (err instanceof GaitError && CATEGORIES.has(err.category)) return err;
    const what = err instanceof Error ? `${err.constructor.name}: ${err.message}` : `non-Error thrown: ${String(err)}`;
    throw new Error(`${label} let a non-GaitError escape: ${what}`, { cause: err });
  }
}

const gates = new Map<string, Gate | GaitError>();
/** One gate per policy text (policies repeat a lot): a Gate, or the GaitError loading gave. */
function gateFor(text: string): Gate | GaitError {
  let g = gates.get(text);
  if (g === undefined) {
    g = onlyGaitError('createGate(text)', () => createGate(engine, text));
    if (gates.size > 5000) gates.clear();
    gates.set(text, g);
  }
  return g;
}
/** Valid policy texts from a fixed pool (see policyPoolArb); the property gets the gate with gateOf. */
const validPolicyArb = policyPoolArb(SEED, POOL_SIZE, (t) => gateFor(t) instanceof Gate);
const gateOf = (text: string): Gate => gateFor(text) as Gate;

/** Runs the three gate entry points on a fresh copy of the input; only GaitError may escape. */
function allEntryPoints(gate: Gate, make: () => unknown): void {
  onlyGaitError('gate.evaluate', () => gate.evaluate(make()));
  onlyGaitError('gate.verdict', () => gate.verdict(make()));
  onlyGaitError('gate.decide', () => gate.decide(make()));
}

const verdicts: Record<string, number> = { allow: 0, block: 0, require_approval: 0, dry_run: 0, error: 0 };

afterAll(() => {
  const total = Object.values(verdicts).reduce((a, b) => a + b, 0);
  console.log(`[fuzz] verdict distribution (gate.verdict over generated valid policies x intents, ${total} cases): ${JSON.stringify(verdicts)}`);
  console.log(`[fuzz] library: ${summary()}`);
});

describe('fuzz: only GaitError escapes the library (property 1)', () => {
  it('createGate text: createGate / parsePolicyYaml on policy text (valid, mutated, garbage YAML)', async () => {
    await property('createGate text', 'library', 150, fc.property(anyPolicyTextArb, (text) => {
      const viaGate = gateFor(text);
      const parsed = onlyGaitError('parsePolicyYaml', () => parsePolicyYaml(text));
      expect(parsed instanceof GaitError).toBe(viaGate instanceof GaitError);
      if (!(parsed instanceof GaitError)) onlyGaitError('formatPolicy', () => formatPolicy(parsed));
    }), 0.1);
  });

  it('formatPolicy round trip: formatPolicy output re-parses to the same digest (fmt is idempotent and keeps the digest)', async () => {
    await property('formatPolicy round trip', 'library', 100, fc.property(anyPolicyTextArb, (text) => {
      let policy;
      try {
        policy = parsePolicyYaml(text);
      } catch {
        return;
      }
      const formatted = formatPolicy(policy);
      const again = parsePolicyYaml(formatted);
      expect(policyDigest(again)).toBe(policyDigest(policy));
      expect(formatPolicy(again)).toBe(formatted);
    }), 0.1);
  });

  it('createGate object: createGate on policy objects (valid, and with a value replaced by an odd one)', async () => {
    await property('createGate object', 'library', 150, fc.property(fc.oneof(policyObjectArb, mutatedJson(policyObjectArb)), (policy) => {
      onlyGaitError('createGate(object)', () => createGate(engine, policy as Record<string, unknown>));
    }), 0.1);
  });

  it('createGate hostile: createGate on hostile policy objects (cycles, BigInt, getters, toJSON, Proxies, case variants)', async () => {
    await property('createGate hostile', 'library', 200, fc.property(hostilePolicyArb([...STABLE_KINDS, ...UNSTABLE_KINDS]), (h) => {
      onlyGaitError('createGate(hostile)', () => createGate(engine, build(h) as Record<string, unknown>));
    }));
  });

  it('createGate throwing: createGate on policy objects whose getters, traps or toJSON throw', async () => {
    await property('createGate throwing', 'library', 100, fc.property(hostilePolicyArb(THROWING_KINDS), (h) => {
      onlyGaitError('createGate(throwing)', () => createGate(engine, build(h) as Record<string, unknown>));
    }));
  });

  // Odd top-level values are described by name: fast-check prints the name, the test builds the value.
  const ODD: Record<string, () => unknown> = {
    null: () => null, undefined: () => undefined, number: () => 5, bigint: () => 5n, array: () => [], symbol: () => Symbol('p'),
    function: () => () => 1, map: () => new Map(), null_prototype: () => Object.create(null), bytes: () => new Uint8Array([0x61]),
    object: () => ({}), normalized_looking: () => ({ rules: [], fail_closed: {}, mcp_trust: {}, scripts: {} }),
  };
  const oddArb = fc.constantFrom(...Object.keys(ODD));

  it('createGate odd values: createGate on odd top-level values (null, undefined, numbers, Symbols, ...)', async () => {
    await property('createGate odd values', 'library', 60, fc.property(oddArb, (name) => {
      onlyGaitError(`createGate(${name})`, () => createGate(engine, ODD[name]!() as Record<string, unknown>));
    }));
  });

  it('parsePolicyYaml non-string: parsePolicyYaml on arguments that are not strings', async () => {
    await property('parsePolicyYaml non-string', 'library', 60, fc.property(oddArb, (name) => {
      onlyGaitError(`parsePolicyYaml(${name})`, () => parsePolicyYaml(ODD[name]!() as string));
    }));
  });

  it('formatPolicy non-policy: formatPolicy on values that are not parsed policies (user-written policy objects, odd values)', async () => {
    await property('formatPolicy non-policy', 'library', 100, fc.property(fc.oneof(policyObjectArb.map((p) => ({ p })), oddArb.map((name) => ({ name }))), (v) => {
      const arg = 'p' in v ? v.p : ODD[v.name]!();
      onlyGaitError('formatPolicy', () => formatPolicy(arg as never));
    }));
  });

  it('gate on intent text: gate.evaluate / verdict / decide on intent JSON text (valid, mutated, garbage)', async () => {
    await property('gate on intent text', 'library', 250, fc.property(validPolicyArb, intentTextArb, (policy, text) => {
      allEntryPoints(gateOf(policy), () => text);
    }));
  });

  it('gate on intent objects: gate.evaluate / verdict / decide on intent objects (valid, and with a value replaced)', async () => {
    await property('gate on intent objects', 'library', 250, fc.property(validPolicyArb, fc.oneof(baseIntentArb, mutatedJson(baseIntentArb)), (policy, intent) => {
      allEntryPoints(gateOf(policy), () => structuredClone(intent));
    }));
  });

  it('gate on hostile objects: gate.evaluate / verdict / decide on hostile objects that do not throw themselves', async () => {
    await property('gate on hostile objects', 'library', 300, fc.property(validPolicyArb, hostileArb([...STABLE_KINDS, ...UNSTABLE_KINDS]), (policy, h) => {
      allEntryPoints(gateOf(policy), () => build(h));
    }));
  });

  it('gate on odd values: gate.evaluate / verdict / decide on odd top-level values (null, undefined, BigInt, Symbol, Map, bytes, ...)', async () => {
    await property('gate on odd values', 'library', 60, fc.property(validPolicyArb, oddArb, (policy, name) => {
      allEntryPoints(gateOf(policy), ODD[name]!);
    }));
  });

  it('gate on throwing objects: gate.evaluate / verdict / decide on objects whose getters, traps or toJSON throw', async () => {
    await property('gate on throwing objects', 'library', 200, fc.property(validPolicyArb, hostileArb(THROWING_KINDS), (policy, h) => {
      allEntryPoints(gateOf(policy), () => build(h));
    }));
  });

  it('normalizeIntent decoded: normalizeIntent and intentDigest on decoded intents', async () => {
    await property('normalizeIntent decoded', 'library', 200, fc.property(fc.oneof(baseIntentArb, mutatedJson(baseIntentArb)), (intent) => {
      let raw;
      try {
        raw = decodeIntentValue(intent);
      } catch (err) {
        if (err instanceof GaitError) return;
        throw err;
      }
      const n = onlyGaitError('normalizeIntent(raw)', () => normalizeIntent(raw));
      if (!(n instanceof GaitError)) onlyGaitError('intentDigest', () => intentDigest(n));
    }));
  });

  it('normalizeIntent plain: normalizeIntent and intentDigest on what a caller may hand them (plain intent objects)', async () => {
    await property('normalizeIntent plain', 'library', 100, fc.property(fc.oneof(baseIntentArb, mutatedJson(baseIntentArb)), (intent) => {
      onlyGaitError('normalizeIntent(value)', () => normalizeIntent(structuredClone(intent) as never));
      onlyGaitError('intentDigest(value)', () => intentDigest(structuredClone(intent) as never));
    }));
  });

  it('normalizeIntent hostile: normalizeIntent and intentDigest on hostile intents', async () => {
    await property('normalizeIntent hostile', 'library', 100, fc.property(hostileArb([...STABLE_KINDS, ...THROWING_KINDS]), (h) => {
      onlyGaitError('normalizeIntent(hostile)', () => normalizeIntent(build(h) as never));
      onlyGaitError('intentDigest(hostile)', () => intentDigest(build(h) as never));
    }));
  });
});

describe('fuzz: determinism (property 3)', () => {
  const record = (v: { verdict: string } | GaitError) => {
    if (v instanceof GaitError) verdicts['error']!++;
    else verdicts[v.verdict] = (verdicts[v.verdict] ?? 0) + 1;
  };
  const snapshot = (gate: Gate, x: unknown) => {
    try {
      const e = gate.evaluate(x);
      return { result: e.result, matched_rule: e.matched_rule, intent_digest: e.intent_digest, policy_digest: e.policy_digest, steps: e.step_verdicts };
    } catch (err) {
      return `${(err as Error).constructor.name}: ${(err as Error).message}`;
    }
  };

  it('deterministic objects: same policy and intent object: same evaluation twice, verdict() agrees with evaluate()', async () => {
    await property('deterministic objects', 'library', 400, fc.property(validPolicyArb, fc.oneof({ weight: 4, arbitrary: baseIntentArb }, { weight: 1, arbitrary: mutatedJson(baseIntentArb) }), (policy, intent) => {
      const gate = gateOf(policy);
      const v = onlyGaitError('gate.verdict', () => gate.verdict(structuredClone(intent)));
      record(v);
      expect(snapshot(gate, structuredClone(intent))).toEqual(snapshot(gate, structuredClone(intent)));
      expect(onlyGaitError('gate.verdict', () => gate.verdict(structuredClone(intent)))).toEqual(v);
      expectVerdictAgrees(gate, structuredClone(intent), 'verdict vs evaluate');
    }));
  });

  it('object equals its JSON text: an intent object and its JSON text get the same decision and digest', async () => {
    // One documented difference (decodeIntentValue): in an object an empty-string time means
    // "unset", while Go's text decoder rejects it; the text is made without those times.
    const withoutEmptyTimes = (v: unknown): unknown => {
      const c = structuredClone(v) as any;
      const drop = (o: any) => {
        if (o && typeof o === 'object' && !Array.isArray(o)) for (const k of ['created_at', 'issued_at', 'expires_at']) if (o[k] === '') delete o[k];
      };
      if (c && typeof c === 'object') {
        drop(c);
        drop(c.delegation);
        if (Array.isArray(c.delegation?.chain)) c.delegation.chain.forEach(drop);
      }
      return c;
    };
    await property('object equals its JSON text', 'library', 250, fc.property(validPolicyArb, fc.oneof(baseIntentArb, mutatedJson(baseIntentArb)), (policy, intent) => {
      const gate = gateOf(policy);
      const text = JSON.stringify(withoutEmptyTimes(intent));
      if (text === undefined) return;
      const fromObject = snapshot(gate, structuredClone(intent));
      const fromText = snapshot(gate, text);
      // Error messages may differ in wording between the object and text decoders; outcomes may not.
      if (typeof fromObject === 'string' || typeof fromText === 'string') expect(typeof fromObject, `object: ${String(fromObject)}; text: ${String(fromText)}`).toBe(typeof fromText);
      else expect(fromObject).toEqual(fromText);
      expectVerdictAgrees(gate, text, 'verdict vs evaluate (text)');
    }));
  });

  it('deterministic hostile: hostile but stable objects (case-variant keys, __proto__, toJSON, Proxies, exotic values): same answer each time', async () => {
    await property('deterministic hostile', 'library', 300, fc.property(validPolicyArb, hostileArb(STABLE_KINDS), (policy, h) => {
      const gate = gateOf(policy);
      expect(snapshot(gate, build(h))).toEqual(snapshot(gate, build(h)));
      const v1 = onlyGaitError('gate.verdict', () => gate.verdict(build(h)));
      expect(onlyGaitError('gate.verdict', () => gate.verdict(build(h)))).toEqual(v1);
      expectVerdictAgrees(gate, build(h), 'verdict vs evaluate (hostile)');
    }));
  });

  it('reaches every verdict', () => {
    for (const v of VERDICTS) expect(verdicts[v], v).toBeGreaterThan(0);
  });
});
