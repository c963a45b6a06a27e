/**
 * A one-pass fast path for `decodeIntentValue` (decode.ts): it decodes a plain, well-typed JS
 * value straight into the Go struct layout, skipping the intermediate JSON tree. It is driven by
 * the same GoStruct tables as go-decode.ts and handles only input for which the result is certain
 * to equal the slow path's: plain objects and arrays, member names that are exactly field names,
 * values of the field's JSON kind (or `null`/`undefined`), finite numbers. For anything else it
 * returns `undefined` (never throws) and the caller takes the slow path, which produces the result
 * or the error.
 */
import { isPlainRfc3339, parseRfc3339 } from '../time.js';
import { foldName, type GoStruct, type GoType, type RawJson, type RawObject } from './go-decode.js';

/** Signals "not for the fast path"; caught only in fastDecodeValue. */
const FALLBACK = new Error('fast decode fallback');

/**
 * canonical/text.ts's wellFormed (lone surrogates to U+FFFD, as Go decodes them), with a cheaper
 * test: isWellFormed is false exactly when toWellFormed would change the string.
 */
function wellFormed(s: string): string {
  return s.isWellFormed() ? s : s.toWellFormed();
}

/** Well below the decoder's 64-level limit, so a depth error can only come from the slow path. */
const MAX_FAST_DEPTH = 48;

const hasOwn = Object.prototype.hasOwnProperty;
const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;

/** A plain object (Object.prototype or null prototype) with no toJSON to call. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== OBJECT_PROTO && proto !== null) return false;
  return typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

export function isPlainArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === ARRAY_PROTO && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

const foldedNames = new WeakMap<GoStruct, Set<string>>();

/** Whether `key` (not a field name) would still match a field case-insensitively. */
function foldsOntoField(spec: GoStruct, key: string): boolean {
  let set = foldedNames.get(spec);
  if (!set) {
    set = new Set(Object.keys(spec.fields).map(foldName));
    foldedNames.set(spec, set);
  }
  return set.has(foldName(key));
}

/** interface{} from a plain JSON value: objects become Maps (member order of Object.keys). */
function anyValue(v: unknown, depth: number): RawJson {
  switch (typeof v) {
    case 'string':
      return wellFormed(v);
    case 'boolean':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw FALLBACK;
      return v;
    case 'object':
      if (v === null) return null;
      return container(v, depth + 1);
    default:
      throw FALLBACK; // undefined/function/symbol at the top of a member are handled by callers
  }
}

function container(v: object, depth: number): RawJson {
  if (depth > MAX_FAST_DEPTH) throw FALLBACK;
  if (isPlainArray(v)) {
    const out: RawJson[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      // JSON.stringify writes undefined, functions and symbols in arrays as null.
      out[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : anyValue(item, depth);
    }
    return out;
  }
  if (isPlainObject(v)) return mapValue(v, depth);
  throw FALLBACK;
}

function mapValue(obj: Record<string, unknown>, depth: number): RawObject {
  const map: RawObject = new Map();
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const rawKey = keys[i]!;
    const item = obj[rawKey];
    // JSON.stringify omits these members.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    const value = anyValue(item, depth);
    const key = wellFormed(rawKey);
    map.delete(key); // keys that collide after wellFormed: the last occurrence's place wins
    map.set(key, value);
  }
  return map;
}

/** Validates a member that Go drops, with the same checks the slow path's conversion makes. */
function checkDropped(v: unknown, depth: number): void {
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return;
  anyValue(v, depth);
}

function fieldValue(v: unknown, type: GoType, depth: number): unknown {
  switch (type.t) {
    case 'string':
      if (typeof v === 'string') return wellFormed(v);
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      break;
    case 'time': {
      if (typeof v !== 'string') break;
      if (v === '') return null; // decodeIntentValue's emptyTimeIsZero
      const text = wellFormed(v);
      if (isPlainRfc3339(text)) return text; // parses, and has nothing JSON would escape
      try {
        parseRfc3339(JSON.stringify(text).slice(1, -1)); // rawString() of a value node
      } catch {
        throw FALLBACK; // the slow path reports the error
      }
      return text;
    }
    case 'map':
      if (isPlainObject(v)) {
        if (depth + 1 > MAX_FAST_DEPTH) throw FALLBACK;
        return mapValue(v, depth + 1);
      }
      break;
    case 'strings':
      if (isPlainArray(v)) {
        if (depth + 1 > MAX_FAST_DEPTH) throw FALLBACK;
        const out: string[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (typeof item === 'string') out[i] = wellFormed(item);
          else if (item === null || item === undefined) out[i] = ''; // null leaves the zero string
          else throw FALLBACK;
        }
        return out;
      }
      break;
    case 'struct':
      if (isPlainObject(v)) return structValue(v, type.spec, depth + 1);
      break;
    case 'slice':
      if (isPlainArray(v)) {
        if (depth + 1 > MAX_FAST_DEPTH) throw FALLBACK;
        const out: object[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (item === null || item === undefined) out[i] = type.spec.zero(); // null leaves the zero struct
          else if (isPlainObject(item)) out[i] = structValue(item, type.spec, depth + 2);
          else throw FALLBACK;
        }
        return out;
      }
      break;
  }
  throw FALLBACK;
}

/** `null` as Go applies it to a field that still holds its zero value. */
function nullValue(type: GoType, zero: unknown): unknown {
  switch (type.t) {
    case 'map': return null;
    case 'strings':
    case 'slice': return [];
    case 'struct': return type.ptr ? null : zero;
    default: return zero; // string, bool, time: untouched
  }
}

function structValue(obj: Record<string, unknown>, spec: GoStruct, depth: number): object {
  if (depth > MAX_FAST_DEPTH) throw FALLBACK;
  const target = spec.zero() as Record<string, unknown>;
  const fields = spec.fields;
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = obj[key];
    if (!hasOwn.call(fields, key)) {
      // Go drops unknown members, unless they match a field case-insensitively.
      if (foldsOntoField(spec, key)) throw FALLBACK;
      checkDropped(v, depth);
      continue;
    }
    if (v === undefined) continue; // omitted by JSON.stringify
    const type = fields[key]!;
    target[key] = v === null ? nullValue(type, target[key]) : fieldValue(v, type, depth);
  }
  return target;
}

/**
 * Decodes `value` into `spec` (a non-pointer struct) when it is certain to give the slow path's
 * result; `undefined` otherwise. Never throws.
 */
export function fastDecodeValue(value: unknown, spec: GoStruct): object | undefined {
  if (!isPlainObject(value)) return undefined;
  try {
    return structValue(value, spec, 1);
  } catch {
    return undefined; // Fallback, or e.g. a throwing getter: the slow path raises it again
  }
}
