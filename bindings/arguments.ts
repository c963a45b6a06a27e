/**
 * Argument checks for the public entry points: a wrong type is a GaitError (invalid_input) that
 * says what the function expected and what it was given, never a raw TypeError from deep inside,
 * and never a silent reinterpretation (JSON.stringify turning NaN into null, a RegExp into {}).
 */
import { GaitError, invalidInput } from './errors.js';
import { decodeUtf8, goBytesToString } from './policy/utf8.js';
import { normalizePolicy } from './policy/normalize.js';
import type { Policy } from './policy/model.js';

/** How an argument is named in error messages: its type, and its value for small scalars. */
export function describeValue(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (x === null) return 'null';
  switch (typeof x) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isNaN(x) ? 'NaN' : `a number (${x})`;
    case 'boolean':
      return `a boolean (${x})`;
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (Array.isArray(x)) return 'an array';
  if (isPlainObject(x)) return 'a plain object';
  if (typeof Buffer === 'function' && Buffer.isBuffer(x)) return 'a Buffer';
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  const builtins = ['RegExp', 'Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView'];
  if (typeof name === 'string' && (builtins.includes(name) || ArrayBuffer.isView(x))) return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
}

function expected(where: string, what: string, got: unknown): GaitError {
  return invalidInput(`${where}: expected ${what}, got ${describeValue(got)}`);
}

/**
 * A plain object: an object literal, JSON.parse output, Object.create(null), or an object whose
 * prototypes are such objects (no class, no built-in: none has a `constructor` of its own), in
 * this realm or another one (an iframe's, a vm context's: their Object.prototype is not ours).
 */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  for (let p = Object.getPrototypeOf(x) as object | null; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    if (Object.hasOwn(p, 'constructor')) return isObjectPrototype(p);
  }
  return true;
}

/** Some realm's Object.prototype: the root of the chain, whose own `constructor` is that realm's `Object`. Read by descriptors, never through getters. */
function isObjectPrototype(p: object): boolean {
  if (Object.getPrototypeOf(p) !== null) return false;
  const ctor: unknown = Object.getOwnPropertyDescriptor(p, 'constructor')?.value;
  if (typeof ctor !== 'function') return false;
  return Object.getOwnPropertyDescriptor(ctor, 'prototype')?.value === p && Object.getOwnPropertyDescriptor(ctor, 'name')?.value === 'Object';
}

const MAX_OBJECT_DEPTH = 64;

/**
 * Where a plain object holds something JSON would drop or change (NaN, a function, a RegExp, a
 * class instance, a cycle), as a path like `rules[0].match.tool_names[1]: a RegExp`; undefined
 * when it is plain JSON data. An undefined property is an absent key, as in JSON.
 */
export function firstNonJson(value: unknown): string | undefined {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string, depth: number): string | undefined => {
    const at = (what: string): string => `${path || '(top)'}: ${what}`;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
    if (typeof v === 'number') return Number.isFinite(v) ? undefined : at(describeValue(v));
    if (typeof v !== 'object') return at(describeValue(v));
    if (seen.has(v)) return at('a cycle');
    if (depth > MAX_OBJECT_DEPTH) return at(`nesting deeper than ${MAX_OBJECT_DEPTH}`);
    if (Array.isArray(v)) {
      seen.add(v);
      for (let i = 0; i < v.length; i++) {
        const bad = v[i] === undefined ? `${path}[${i}]: undefined` : walk(v[i], `${path}[${i}]`, depth + 1);
        if (bad) return bad;
      }
      seen.delete(v);
      return undefined;
    }
    if (!isPlainObject(v)) return at(describeValue(v));
    seen.add(v);
    for (const key of Object.keys(v)) {
      const item = v[key];
      if (item === undefined) continue;
      const bad = walk(item, path ? `${path}.${key}` : key, depth + 1);
      if (bad) return bad;
    }
    seen.delete(v);
    return undefined;
  };
  return walk(value, '', 0);
}

// ---------------------------------------------------------------------------------------------
// Policies

const POLICY_INPUT = 'a policy (YAML text, its UTF-8 bytes as a Uint8Array, a plain object with policy keys, or a Policy from parsePolicyYaml)';
const POLICY_TEXT = 'policy YAML text (a string, or its UTF-8 bytes as a Uint8Array)';

/** The shape of a normalized Policy (what parsePolicyYaml returns). */
function isPolicyShaped(x: Record<string, unknown>): boolean {
  return Array.isArray(x['rules']) && isPlainObject(x['scripts']) && isPlainObject(x['fail_closed']) && isPlainObject(x['mcp_trust']);
}

/**
 * createGate's policy argument, checked: YAML text as given, bytes decoded (strict UTF-8, size
 * limit), a Policy (from parsePolicyYaml) normalized again, any other plain object as JSON text
 * (JSON is YAML: the one strict parser validates it like a policy file).
 */
export function policyInput(where: string, policy: unknown): string | Policy {
  if (typeof policy === 'string') return policy;
  if (policy instanceof Uint8Array) return decodeUtf8(policy);
  if (!isPlainObject(policy)) throw expected(where, POLICY_INPUT, policy);
  const bad = firstNonJson(policy);
  if (bad) throw invalidInput(`${where}: the policy object holds a value JSON cannot carry at ${bad}`);
  if (!Object.values(policy).some((v) => v !== undefined)) {
    throw invalidInput(`${where}: the policy object has no policy keys (for the empty policy pass { default_verdict: 'require_approval' })`);
  }
  if (!isPolicyShaped(policy)) return JSON.stringify(policy);
  try {
    return normalizePolicy(policy as unknown as Policy);
  } catch (err) {
    if (err instanceof TypeError) throw invalidInput(`${where}: expected a Policy (from parsePolicyYaml): ${err.message}`);
    throw err;
  }
}

/** parsePolicyYaml's argument: text, or bytes (strict UTF-8, size limit). */
export function policyText(where: string, text: unknown): string {
  if (typeof text === 'string') return text;
  if (text instanceof Uint8Array) return decodeUtf8(text);
  throw expected(where, POLICY_TEXT, text);
}

/** The shape of a normalized Policy, checked before formatPolicy / policyDigest read it. */
export function assertPolicy(where: string, p: unknown): void {
  if (!isPlainObject(p) || typeof p['default_verdict'] !== 'string' || !isPolicyShaped(p)) {
    throw expected(where, 'a Policy (from parsePolicyYaml)', p);
  }
}

/** Runs `f` on a Policy-shaped argument; a TypeError from its insides becomes a GaitError. */
export function withPolicy<T>(where: string, p: unknown, f: () => T): T {
  assertPolicy(where, p);
  try {
    return f();
  } catch (err) {
    if (err instanceof TypeError) throw invalidInput(`${where}: expected a Policy (from parsePolicyYaml): ${err.message}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Intents and documents

const INTENT_INPUT = 'an intent (JSON text, its UTF-8 bytes as a Uint8Array, or a plain object)';

/**
 * An intent argument (Gate methods, normalizeIntent): JSON text as given, bytes as text (invalid
 * UTF-8 becomes U+FFFD per byte, as Go's JSON decoder reads it), a plain object as given.
 */
export function intentInput(where: string, intent: unknown): string | Record<string, unknown> {
  if (typeof intent === 'string' || isPlainObject(intent)) return intent;
  if (intent instanceof Uint8Array) return goBytesToString(intent);
  throw expected(where, INTENT_INPUT, intent);
}

/** A JSON document argument (parseWrkrInventory): text, or bytes. */
export function jsonText(where: string, what: string, text: unknown): string {
  if (typeof text === 'string') return text;
  if (text instanceof Uint8Array) return goBytesToString(text);
  throw expected(where, `${what} (a string, or its UTF-8 bytes as a Uint8Array)`, text);
}

/** The shape of a normalized intent, checked before intentDigest reads it. */
export function assertNormalizedIntent(where: string, n: unknown): void {
  const x = n as Record<string, unknown>;
  if (
    !isPlainObject(n) || x['schema_id'] !== 'gait.gate.intent_request' || typeof x['tool_name'] !== 'string' ||
    !Array.isArray(x['targets']) || !Array.isArray(x['arg_provenance']) || !isPlainObject(x['context'])
  ) {
    throw expected(where, 'a normalized intent (from normalizeIntent)', n);
  }
}

/** `expected an Engine` for createGate's engine argument. */
export function notAnEngine(where: string, got: unknown): GaitError {
  return expected(where, 'an Engine (from instantiate, instantiateSync or init)', got);
}

/**
 * The GaitError for an exception that is not one: a getter, Proxy trap or toJSON of the caller's
 * argument threw while it was read (or an internal error). Public entry points pass every
 * exception through here, so callers only ever catch GaitErrors; it never becomes a verdict.
 */
export function asGaitError(where: string, err: unknown): GaitError {
  if (err instanceof GaitError) return err;
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new GaitError(`${where}: reading the argument failed: ${message}`, 'internal_failure', { cause: err });
}
