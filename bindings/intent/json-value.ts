/**
 * JSON value normalization for `args`, step args and `auth_context` (intent.md §2.1): keys and
 * string values trimmed at every depth, an empty key an error, array order kept.
 *
 * Keys that collide after trimming (`{" a ":1,"a":2}`) are nondeterministic in Gait (Go map
 * order). Here the member that comes last in the input wins; a key repeated verbatim counts at its
 * last occurrence (go-decode.ts keeps that order). JS objects built for JsonValue may carry a key
 * named `__proto__` as an ordinary own property.
 */
import type { JsonValue } from '../canonical/jcs.js';
import type { JsonObject } from './model.js';
import type { RawJson, RawObject } from './go-decode.js';
import { goTrim } from '../canonical/text.js';

export const EMPTY_KEY = 'args contains empty key';

/** Thrown with EMPTY_KEY; callers add their `normalize <field>: ` prefix. */
export class EmptyKeyError extends Error {
  constructor() {
    super(EMPTY_KEY);
  }
}

/** Sets an own enumerable property, even one named `__proto__`. */
export function setMember(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

function normalizeValue(v: RawJson | JsonValue): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'string') return goTrim(v);
  if (Array.isArray(v)) return v.map(normalizeValue);
  return normalizeObject(v);
}

/** Normalizes a decoded object (Map) or an already-normal JsonObject. Throws EmptyKeyError. */
export function normalizeObject(obj: RawObject | JsonObject | null | undefined): JsonObject {
  const out: JsonObject = {};
  if (obj == null) return out;
  const entries: Iterable<[string, RawJson | JsonValue]> = obj instanceof Map ? obj.entries() : Object.entries(obj);
  for (const [rawKey, value] of entries) {
    const key = goTrim(rawKey);
    if (key === '') throw new EmptyKeyError();
    const normalized = normalizeValue(value);
    if (Object.prototype.hasOwnProperty.call(out, key)) delete out[key]; // later input wins
    setMember(out, key, normalized);
  }
  return out;
}
