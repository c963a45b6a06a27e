/**
 * Helpers shared by approval tokens, delegation tokens and approved-script entries
 * (signed_artifacts.md §2, §3-§5): Go-style JSON decoding of the three fixed structs, Go's
 * `json.MarshalIndent` for the files gait writes, times, TTLs, hex checks and scope lists.
 *
 * Nothing here touches a file system or the process: callers hand in text, bytes and clocks.
 */
import { invalidInput } from '../errors.js';
import { compareBytewise } from '../canonical/order.js';
import { goLower, goTrim } from '../canonical/text.js';
import { foldName } from '../intent/go-decode.js';
import {
  JsonDepthError,
  JsonSyntaxError,
  JsonValueError,
  kindName,
  parseJsonTree,
  rawString,
  treeFromValue,
  type JNode,
} from '../intent/json-tree.js';
import { parseGoDuration } from '../policy/duration.js';
import {
  compareTime,
  formatRfc3339Nano,
  isZeroTime,
  parseRfc3339,
  timeFromDate,
  timeFromEpochMillis,
  TimeParseError,
  ZERO_TIME,
  type RfcTime,
} from '../time.js';

export const DEFAULT_PRODUCER_VERSION = '0.0.0-dev';
export const ZERO_TIME_TEXT = '0001-01-01T00:00:00Z';

/** Largest token / registry text accepted (the same cap as intents). */
export const MAX_ARTIFACT_BYTES = 1_048_576;
/** JSON nesting cap for token and registry files (the real formats nest three levels deep). */
export const MAX_ARTIFACT_DEPTH = 64;
/** Most tokens one approval or delegation stage accepts (Gait has no cap; this bounds the work). */
export const MAX_STAGE_TOKENS = 256;

// ---------------------------------------------------------------------------------------------
// Times

/** A clock reading: an RfcTime, a Date, epoch milliseconds, or RFC 3339 text (nanoseconds kept). */
export type TimeInput = RfcTime | Date | number | string;

export function toRfcTime(value: TimeInput, what = 'time'): RfcTime {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidInput(`invalid ${what}: invalid Date`);
    return timeFromDate(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidInput(`invalid ${what}: ${value}`);
    return timeFromEpochMillis(value);
  }
  if (typeof value === 'string') {
    try {
      return parseRfc3339(value);
    } catch (err) {
      if (err instanceof TimeParseError) throw invalidInput(`invalid ${what}: ${err.message}`);
      throw err;
    }
  }
  return value;
}

/** Parses already-validated model text ('' is Go's zero time). */
export function timeOf(text: string): RfcTime {
  return text === '' ? ZERO_TIME : parseRfc3339(text);
}

export function isZeroText(text: string): boolean {
  return text === '' || isZeroTime(parseRfc3339(text));
}

/** RFC3339Nano in the time's own offset (how Go marshals a decoded token time). */
export function renderTime(t: RfcTime): string {
  return formatRfc3339Nano(t, false);
}

/** RFC3339Nano in UTC; '' renders as Go's zero time. */
export function utcText(text: string): string {
  return formatRfc3339Nano(timeOf(text), true);
}

/** `t + ns` (Go's `Time.Add`), keeping the offset. */
export function addNanos(t: RfcTime, ns: bigint): RfcTime {
  const total = BigInt(t.nanos) + ns;
  let secs = total / 1_000_000_000n;
  let rem = total % 1_000_000_000n;
  if (rem < 0n) {
    rem += 1_000_000_000n;
    secs -= 1n;
  }
  return { epochSeconds: t.epochSeconds + Number(secs), nanos: Number(rem), offsetMinutes: t.offsetMinutes };
}

export const isBeforeTime = (a: RfcTime, b: RfcTime): boolean => compareTime(a, b) < 0;

// ---------------------------------------------------------------------------------------------
// TTLs

/** A TTL: Go duration text (`1h30m`, `87600h`; no `d`) or milliseconds. */
export type TtlInput = string | number | bigint;

/**
 * TTL in nanoseconds, or undefined when the text is not a Go duration. Numbers are milliseconds;
 * a bigint is taken as nanoseconds.
 */
export function ttlNanos(ttl: TtlInput): bigint | undefined {
  if (typeof ttl === 'bigint') return ttl;
  if (typeof ttl === 'number') {
    if (!Number.isFinite(ttl)) return undefined;
    return BigInt(Math.round(ttl * 1_000_000));
  }
  try {
    return parseGoDuration(goTrim(ttl));
  } catch {
    return undefined;
  }
}

/**
 * The CLI's `--ttl` check for `approve` and `delegate mint` (§3.4 step 5): a Go duration > 0, else
 * `invalid --ttl, expected positive duration`. Returns nanoseconds.
 */
export function parsePositiveTtl(text: string): bigint {
  const ns = ttlNanos(text);
  if (ns === undefined || ns <= 0n) throw invalidInput('invalid --ttl, expected positive duration');
  return ns;
}

// ---------------------------------------------------------------------------------------------
// Strings and lists

const HEX64 = /^[0-9a-f]{64}$/;

export const trimLower = (s: string): string => goLower(goTrim(s));
export const isSha256Hex = (s: string): boolean => HEX64.test(s);

/** Trim each item, drop empties, de-duplicate, sort byte-wise. */
export function trimmedSortedUnique(items: readonly string[]): string[] {
  const set = new Set<string>();
  for (const item of items) {
    const v = goTrim(item);
    if (v !== '') set.add(v);
  }
  return [...set].sort(compareBytewise);
}

/** Trim and lower-case each item, drop empties, de-duplicate, sort byte-wise. */
export function normalizeScopeList(items: readonly string[]): string[] {
  return trimmedSortedUnique(items.map(trimLower));
}

/** `--scope` CSV as the commands split it: items trimmed, empties dropped (order kept). */
export function splitCsv(csv: string): string[] {
  return csv.split(',').map(goTrim).filter((s) => s !== '');
}

/**
 * Merged token paths (`--approval-token` + `--approval-token-chain`, or the delegation pair):
 * trimmed, empties dropped, de-duplicated and sorted byte-wise: the order tokens are read and
 * evaluated in (cli.md §2.2).
 */
export function mergeTokenPaths(primary: string | undefined, chainCsv: string | undefined): string[] {
  const items = [primary ?? '', ...(chainCsv ?? '').split(',')];
  return trimmedSortedUnique(items);
}

export function checkStageSize(count: number, kind: string): void {
  if (count > MAX_STAGE_TOKENS) throw invalidInput(`too many ${kind} tokens: ${count} (max ${MAX_STAGE_TOKENS})`);
}

export function dedupeSorted<T extends { path: string }>(tokens: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const t of tokens) {
    const key = goTrim(t.path);
    if (!seen.has(key)) seen.set(key, t);
  }
  return [...seen.entries()].sort((a, b) => compareBytewise(a[0], b[0])).map(([, t]) => t);
}

/** Sorted unique non-empty reason codes (the gate keeps every list that way). */
export function codeList(codes: Iterable<string>): string[] {
  return trimmedSortedUnique([...codes]);
}

// ---------------------------------------------------------------------------------------------
// Go JSON decoding of the fixed artifact structs

export type FieldKind = 'string' | 'strings' | 'int' | 'time' | { readonly struct: StructSpec };

export interface StructSpec {
  /** Go type name as errors print it (`ApprovalToken`). */
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldKind>>;
}

export type Decoded = Record<string, unknown>;

/** The zero value of every field: '' strings and times, [] lists, 0 ints, undefined structs. */
function zeroOf(spec: StructSpec): Decoded {
  const out: Decoded = {};
  for (const [name, kind] of Object.entries(spec.fields)) {
    out[name] = kind === 'string' || kind === 'time' ? '' : kind === 'strings' ? [] : kind === 'int' ? 0 : undefined;
  }
  return out;
}

class HardDecodeError extends Error {}

class StructDecoder {
  private saved: string | undefined;
  private readonly path: string[] = [];
  private structName = '';

  constructor(private readonly goTypeName: string) {}

  decode(node: JNode, spec: StructSpec): Decoded {
    const out = zeroOf(spec);
    if (node.k === 'null') return out;
    if (node.k !== 'obj') throw new HardDecodeError(`json: cannot unmarshal ${kindName(node)} into Go value of type ${this.goTypeName}`);
    this.object(out, node, spec);
    if (this.saved !== undefined) throw new HardDecodeError(this.saved);
    return out;
  }

  private mismatch(kind: string, goType: string): void {
    if (this.saved === undefined) {
      this.saved = `json: cannot unmarshal ${kind} into Go struct field ${this.structName}.${this.path.join('.')} of type ${goType}`;
    }
  }

  private object(target: Decoded, node: { entries: Array<[string, JNode]> }, spec: StructSpec): void {
    for (const [key, value] of node.entries) {
      const name = fieldFor(spec, key);
      if (name === undefined) continue;
      const outer = this.structName;
      this.structName = spec.name;
      this.path.push(name);
      target[name] = this.value(target[name], value, spec.fields[name]!);
      this.path.pop();
      this.structName = outer;
    }
  }

  private value(cur: unknown, node: JNode, kind: FieldKind): unknown {
    if (kind === 'string') {
      if (node.k === 'null') return cur;
      if (node.k === 'str') return node.v;
      this.mismatch(kindName(node), 'string');
      return cur;
    }
    if (kind === 'int') {
      if (node.k === 'null') return cur;
      if (node.k !== 'num') {
        this.mismatch(kindName(node), 'int');
        return cur;
      }
      // Go: strconv.ParseInt on the literal; fractions, exponents and overflow are type errors.
      // Values beyond 2^53 cannot be carried exactly here and are refused the same way.
      if (!/^-?(0|[1-9][0-9]*)$/.test(node.raw) || !Number.isSafeInteger(Number(node.raw))) {
        this.mismatch(`number ${node.raw}`, 'int');
        return cur;
      }
      return Number(node.raw) === 0 ? 0 : Number(node.raw);
    }
    if (kind === 'time') {
      if (node.k === 'null') return cur;
      if (node.k !== 'str') throw new HardDecodeError('Time.UnmarshalJSON: input is not a JSON string');
      try {
        return renderTime(parseRfc3339(rawString(node)));
      } catch (err) {
        if (err instanceof TimeParseError) throw new HardDecodeError(err.message);
        throw err;
      }
    }
    if (kind === 'strings') {
      if (node.k === 'null') return [];
      if (node.k !== 'arr') {
        this.mismatch(kindName(node), '[]string');
        return cur;
      }
      const prev = Array.isArray(cur) ? (cur as string[]) : [];
      return node.items.map((item, i) => this.value(i < prev.length ? prev[i] : '', item, 'string'));
    }
    // *struct
    if (node.k === 'null') return undefined;
    if (node.k !== 'obj') {
      this.mismatch(kindName(node), this.pkgName(kind.struct));
      return cur;
    }
    const target = (cur as Decoded | undefined) ?? zeroOf(kind.struct);
    this.object(target, node, kind.struct);
    return target;
  }

  private pkgName(spec: StructSpec): string {
    return spec.name === 'Signature' ? `signing.${spec.name}` : `gate.${spec.name}`;
  }
}

const folded = new WeakMap<StructSpec, Map<string, string>>();

function fieldFor(spec: StructSpec, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(spec.fields, key)) return key;
  let map = folded.get(spec);
  if (!map) {
    map = new Map();
    for (const name of Object.keys(spec.fields)) if (!map.has(foldName(name))) map.set(foldName(name), name);
    folded.set(spec, map);
  }
  return map.get(foldName(key));
}

/** The `signature` struct (proof's `Signature`). */
export const SIGNATURE_SPEC: StructSpec = {
  name: 'Signature',
  fields: { alg: 'string', key_id: 'string', sig: 'string', signed_digest: 'string' },
};

/** UTF-8 decode like Go reads a file: invalid sequences become U+FFFD, a BOM is kept (and rejected). */
export function textOf(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(input);
}

/** Parses JSON text into a tree, failing with `<prefix>: <Go message>`. */
export function parseArtifactTree(input: string | Uint8Array, prefix: string): JNode {
  if (typeof input !== 'string' && input.length > MAX_ARTIFACT_BYTES) {
    throw invalidInput(`${prefix}: input exceeds ${MAX_ARTIFACT_BYTES} bytes`);
  }
  const text = textOf(input);
  if (text.length > MAX_ARTIFACT_BYTES || (text.length * 3 > MAX_ARTIFACT_BYTES && new TextEncoder().encode(text).length > MAX_ARTIFACT_BYTES)) {
    throw invalidInput(`${prefix}: input exceeds ${MAX_ARTIFACT_BYTES} bytes`);
  }
  try {
    return parseJsonTree(text, MAX_ARTIFACT_DEPTH, `JSON nesting exceeds ${MAX_ARTIFACT_DEPTH} levels`);
  } catch (err) {
    if (err instanceof JsonSyntaxError || err instanceof JsonDepthError) throw invalidInput(`${prefix}: ${err.message}`);
    throw err;
  }
}

/** A tree from an already-parsed JS value (JSON.stringify rules). */
export function valueTree(value: unknown, prefix: string): JNode {
  let tree: JNode | undefined;
  try {
    tree = treeFromValue(value, MAX_ARTIFACT_DEPTH, `JSON nesting exceeds ${MAX_ARTIFACT_DEPTH} levels`);
  } catch (err) {
    if (err instanceof JsonDepthError || err instanceof JsonValueError) throw invalidInput(`${prefix}: ${err.message}`);
    throw err;
  }
  if (tree === undefined) throw invalidInput(`${prefix}: unexpected end of JSON input`);
  return tree;
}

/** Decodes a tree into `spec` with Go's rules; errors are `<prefix>: <Go message>`. */
export function decodeStruct(node: JNode, spec: StructSpec, goTypeName: string, prefix: string): Decoded {
  try {
    return new StructDecoder(goTypeName).decode(node, spec);
  } catch (err) {
    if (err instanceof HardDecodeError) throw invalidInput(`${prefix}: ${err.message}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Go json.MarshalIndent (2 spaces) for the files gait writes

const HEXD = '0123456789abcdef';

/** Go's JSON string encoding: HTML-safe, U+2028/U+2029 escaped, lone surrogates as U+FFFD. */
export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20) {
      if (c === 0x08) out += '\\b';
      else if (c === 0x0c) out += '\\f';
      else if (c === 0x0a) out += '\\n';
      else if (c === 0x0d) out += '\\r';
      else if (c === 0x09) out += '\\t';
      else out += '\\u00' + HEXD[c >> 4]! + HEXD[c & 15]!;
    } else if (c === 0x3c) out += '\\u003c';
    else if (c === 0x3e) out += '\\u003e';
    else if (c === 0x26) out += '\\u0026';
    else if (c === 0x2028) out += '\\u2028';
    else if (c === 0x2029) out += '\\u2029';
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += s[i]! + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else out += s[i];
  }
  return out + '"';
}

function marshal(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[\n' + value.map((v) => inner + marshal(v, inner)).join(',\n') + '\n' + indent + ']';
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return '{\n' + entries.map(([k, v]) => `${inner}${goJsonString(k)}: ${marshal(v, inner)}`).join(',\n') + '\n' + indent + '}';
}

/** `json.MarshalIndent(v, "", "  ")` + "\n": members in object order, undefined members skipped. */
export function goMarshalIndent(value: unknown): string {
  return marshal(value, '') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Validation results

export type Validation<C extends string, T> =
  | { readonly ok: true; readonly token: T }
  | { readonly ok: false; readonly code: C; readonly detail: string; readonly error: string };

export function failure<C extends string>(code: C, detail: string): { ok: false; code: C; detail: string; error: string } {
  return { ok: false, code, detail, error: `${code}: ${detail}` };
}

/** Thrown by normalizers; the message is Gait's. */
export class NormalizeFailure extends Error {}
