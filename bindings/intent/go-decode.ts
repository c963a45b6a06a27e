/**
 * Decoding a JSON tree into typed records the way Go's encoding/json fills a struct, because Gait
 * reads intents (and Wrkr inventories) that way and users see the consequences:
 * - unknown members are dropped at every level;
 * - member names match fields exactly, else case-insensitively (Go's folding), in input order,
 *   so a later duplicate wins; a second object for the same struct or map field is merged into
 *   the first, a second array decodes into the first one's elements;
 * - `null` leaves strings, bools, times and value structs untouched and empties slices, maps and
 *   pointers;
 * - a type mismatch is remembered (the first one wins) and decoding goes on; it is reported at the
 *   end as `json: cannot unmarshal <kind> into Go struct field <Struct>.<path> of type <type>`;
 * - a `time.Time` gets the raw string text and Go's strict RFC 3339 parse; its failure is reported
 *   at once and wins over a remembered mismatch, as in Go.
 */
import { kindName, rawString, type JNode } from './json-tree.js';
import { parseRfc3339, TimeParseError } from '../time.js';

export type RawJson = null | boolean | number | string | RawJson[] | RawObject;
/** A JSON object with member order kept (a Map, so integer-like keys keep their place). */
export type RawObject = Map<string, RawJson>;

export type GoType =
  | { readonly t: 'string' }
  | { readonly t: 'bool' }
  /** int64: an integer literal in range, kept as a number (exact up to 2^53, as JCS reads it). */
  | { readonly t: 'int64' }
  /** float64: any number literal; one that overflows is Go's `number <lit>` mismatch. */
  | { readonly t: 'float64' }
  /** time.Time: kept as the validated RFC 3339 text, null when unset. */
  | { readonly t: 'time' }
  /** map[string]interface{}: a RawObject, null when unset. */
  | { readonly t: 'map' }
  | { readonly t: 'strings' }
  /** interface{} kept as its JSON tree (numbers checked as float64, like Go's decode into interface{}). */
  | { readonly t: 'any' }
  /** json.RawMessage: any JSON value, kept as its tree (`null` included) and never a mismatch. */
  | { readonly t: 'raw' }
  | { readonly t: 'struct'; readonly spec: GoStruct; readonly ptr: boolean }
  | { readonly t: 'slice'; readonly spec: GoStruct };

export interface GoStruct {
  /** Struct name as Go's errors print it (`IntentTarget`). */
  readonly name: string;
  /** Package name for type strings (`gate.IntentTarget`). */
  readonly pkg: string;
  /** The type string of an anonymous struct (`struct { Name string "json:\"name\"" }`); its name is ''. */
  readonly typeName?: string;
  readonly fields: Readonly<Record<string, GoType>>;
  readonly zero: () => object;
}

export const STRING: GoType = { t: 'string' };
export const BOOL: GoType = { t: 'bool' };
export const INT64: GoType = { t: 'int64' };
export const FLOAT64: GoType = { t: 'float64' };
export const TIME: GoType = { t: 'time' };
export const MAP: GoType = { t: 'map' };
export const STRINGS: GoType = { t: 'strings' };
export const ANY: GoType = { t: 'any' };
export const RAW_MESSAGE: GoType = { t: 'raw' };

/** The Go error text (without the caller's `parse … json:` prefix). */
export class GoDecodeError extends Error {}

class HardError extends Error {}

/** encoding/json's foldName: ASCII upper-casing plus the few runes that fold onto ASCII letters. */
export function foldName(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(c - 32);
    else if (c === 0x17f) out += 'S'; // ſ
    else if (c === 0x212a) out += 'K'; // Kelvin sign
    else if (c === 0x130 || c === 0x131) out += 'I'; // İ, ı: ToUpper(ToLower(r)) is ASCII I
    else out += s[i];
  }
  return out;
}

const foldedFields = new WeakMap<GoStruct, Map<string, string>>();

function fieldFor(spec: GoStruct, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(spec.fields, key)) return key;
  let folded = foldedFields.get(spec);
  if (!folded) {
    folded = new Map();
    for (const name of Object.keys(spec.fields)) if (!folded.has(foldName(name))) folded.set(foldName(name), name);
    foldedFields.set(spec, folded);
  }
  return folded.get(foldName(key));
}

function typeString(t: GoType): string {
  switch (t.t) {
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'int64': return 'int64';
    case 'float64': return 'float64';
    case 'time': return 'time.Time';
    case 'map': return 'map[string]interface {}';
    case 'strings': return '[]string';
    case 'any': return 'interface {}';
    case 'raw': return 'json.RawMessage';
    case 'struct': return t.spec.typeName ?? `${t.spec.pkg}.${t.spec.name}`;
    case 'slice': return `[]${t.spec.pkg}.${t.spec.name}`;
  }
}

export interface GoDecodeOptions {
  /** Treat `""` as an unset time instead of Go's parse error (for already-parsed JS values). */
  readonly emptyTimeIsZero?: boolean;
  /** Go's Decoder.DisallowUnknownFields: an unknown member is remembered as `json: unknown field "<name>"`. */
  readonly disallowUnknownFields?: boolean;
}

class Decoder {
  constructor(private readonly options: GoDecodeOptions) {}

  private saved: string | undefined;
  private structName = '';
  private readonly path: string[] = [];

  run(node: JNode, type: GoType, initial: unknown): unknown {
    let out: unknown;
    try {
      out = this.value(initial, node, type);
    } catch (err) {
      if (err instanceof HardError) throw new GoDecodeError(err.message);
      throw err;
    }
    if (this.saved !== undefined) throw new GoDecodeError(this.saved);
    return out;
  }

  private save(message: string): void {
    this.saved ??= message;
  }

  private mismatch(kind: string, goType: string): void {
    if (this.saved !== undefined) return;
    this.saved = this.path.length > 0 || this.structName !== ''
      ? `json: cannot unmarshal ${kind} into Go struct field ${this.structName}.${this.path.join('.')} of type ${goType}`
      : `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
  }

  private value(cur: unknown, node: JNode, type: GoType): unknown {
    switch (type.t) {
      case 'string':
        if (node.k === 'null') return cur;
        if (node.k === 'str') return node.v;
        this.mismatch(kindName(node), 'string');
        return cur;
      case 'bool':
        if (node.k === 'null') return cur;
        if (node.k === 'bool') return node.v;
        this.mismatch(kindName(node), 'bool');
        return cur;
      case 'int64':
        if (node.k === 'null') return cur;
        if (node.k !== 'num') {
          this.mismatch(kindName(node), 'int64');
          return cur;
        }
        if (!/^-?(0|[1-9][0-9]*)$/.test(node.raw) || BigInt(node.raw) !== BigInt.asIntN(64, BigInt(node.raw))) {
          this.mismatch(`number ${node.raw}`, 'int64');
          return cur;
        }
        return node.v;
      case 'float64':
        if (node.k === 'null') return cur;
        if (node.k !== 'num') {
          this.mismatch(kindName(node), 'float64');
          return cur;
        }
        if (!Number.isFinite(node.v)) {
          this.mismatch(`number ${node.raw}`, 'float64');
          return cur;
        }
        return node.v;
      case 'time':
        if (node.k === 'null') return cur;
        if (node.k !== 'str') throw new HardError('Time.UnmarshalJSON: input is not a JSON string');
        if (node.v === '' && this.options.emptyTimeIsZero) return null;
        try {
          parseRfc3339(rawString(node));
        } catch (err) {
          if (err instanceof TimeParseError) throw new HardError(err.message);
          throw err;
        }
        return node.v;
      case 'map': {
        if (node.k === 'null') return null;
        if (node.k !== 'obj') {
          this.mismatch(kindName(node), typeString(type));
          return cur;
        }
        const map: RawObject = cur instanceof Map ? (cur as RawObject) : new Map();
        for (const [k, v] of node.entries) {
          const item = this.anyValue(v);
          map.delete(k); // the member's place is its last occurrence
          map.set(k, item);
        }
        return map;
      }
      case 'strings': {
        if (node.k === 'null') return [];
        if (node.k !== 'arr') {
          this.mismatch(kindName(node), '[]string');
          return cur;
        }
        const prev = Array.isArray(cur) ? (cur as string[]) : [];
        return node.items.map((item, i) => this.value(i < prev.length ? prev[i] : '', item, STRING));
      }
      case 'any':
        this.anyValue(node); // only for its errors: the caller reads the tree
        return node;
      case 'raw':
        return node;
      case 'struct': {
        if (node.k === 'null') return type.ptr ? null : cur;
        if (node.k !== 'obj') {
          this.mismatch(kindName(node), typeString(type));
          return cur;
        }
        const target = (cur ?? type.spec.zero()) as Record<string, unknown>;
        this.object(target, node, type.spec);
        return target;
      }
      case 'slice': {
        if (node.k === 'null') return [];
        if (node.k !== 'arr') {
          this.mismatch(kindName(node), typeString(type));
          return cur;
        }
        const prev = Array.isArray(cur) ? (cur as object[]) : [];
        const elem: GoType = { t: 'struct', spec: type.spec, ptr: false };
        return node.items.map((item, i) => this.value(i < prev.length ? prev[i] : type.spec.zero(), item, elem));
      }
    }
  }

  private object(target: Record<string, unknown>, node: { entries: Array<[string, JNode]> }, spec: GoStruct): void {
    for (const [key, v] of node.entries) {
      const name = fieldFor(spec, key);
      if (name === undefined) {
        if (this.options.disallowUnknownFields) this.save(`json: unknown field ${JSON.stringify(key)}`);
        continue; // unknown members are dropped
      }
      const outer = this.structName;
      this.path.push(name);
      this.structName = spec.name;
      target[name] = this.value(target[name], v, spec.fields[name]!);
      this.path.pop();
      this.structName = outer;
    }
  }

  /** interface{}: objects become Maps, numbers float64 (overflow is Go's `number <lit>` error). */
  private anyValue(node: JNode): RawJson {
    switch (node.k) {
      case 'null': return null;
      case 'bool': return node.v;
      case 'str': return node.v;
      case 'num':
        if (!Number.isFinite(node.v)) {
          this.mismatch(`number ${node.raw}`, 'float64');
          return null;
        }
        return node.v;
      case 'arr': return node.items.map((item) => this.anyValue(item));
      case 'obj': {
        const map: RawObject = new Map();
        for (const [k, v] of node.entries) {
          const item = this.anyValue(v);
          map.delete(k);
          map.set(k, item);
        }
        return map;
      }
    }
  }
}

/** Decodes `node` into a fresh value of `type` (or into `initial`). Throws GoDecodeError. */
export function goDecode(node: JNode, type: GoType, initial?: unknown, options: GoDecodeOptions = {}): unknown {
  return new Decoder(options).run(node, type, initial);
}
