/**
 * JSON as Gait's Go encoder writes it, for any module that prints what Gait prints: `<`, `>`,
 * `&`, U+2028 and U+2029 escaped (Go's HTML-safe default), numbers in Go's float64 form (which
 * JavaScript's shortest form matches), bigints as integers (int64 values past 2^53), undefined
 * members omitted. Keys are either sorted byte-wise at every level (a Go map; objects marked with
 * structOrder() keep their order) or kept in insertion order (a Go struct).
 */
import { compareBytewise } from './order.js';

const STRUCT_ORDER: unique symbol = Symbol('gait.structOrder');

/**
 * Marks an object (and everything inside it) to be printed in its own key order even where keys
 * are sorted: a Go struct that reaches the encoder without the map round trip, such as the
 * `migration` object of the legacy-policy error envelope. Returns a marked shallow copy.
 */
export function structOrder<T extends object>(value: T): T {
  const copy = Array.isArray(value) ? [...value] : { ...value };
  Object.defineProperty(copy, STRUCT_ORDER, { value: true });
  return copy as T;
}

const GO_ESCAPES = /[<>&\u2028\u2029]/g;
// An encoder with SetEscapeHTML(false) still escapes U+2028 and U+2029.
const GO_ESCAPES_NO_HTML = /[\u2028\u2029]/g;
const goEscape = (ch: string): string => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');

// Printable ASCII that neither encoder escapes: most keys and values, written as they are.
const PLAIN_ASCII = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

export function goString(s: string): string {
  if (PLAIN_ASCII.test(s)) return '"' + s + '"';
  return JSON.stringify(s.toWellFormed()).replace(GO_ESCAPES, goEscape);
}

function goStringNoHtml(s: string): string {
  if (PLAIN_ASCII.test(s)) return '"' + s + '"';
  return JSON.stringify(s.toWellFormed()).replace(GO_ESCAPES_NO_HTML, goEscape);
}

export interface GoJsonOptions {
  /** Sort keys byte-wise at every level (Go maps); else insertion order (Go structs). */
  readonly sortKeys: boolean;
  /** Indentation unit for pretty output; '' (the default) writes one line. */
  readonly indent?: string;
  /** Escape `<`, `>`, `&` (Go's default, true); false is an encoder with SetEscapeHTML(false). */
  readonly escapeHtml?: boolean;
}

/** The encoding of `value`, without a trailing newline. */
export function goJson(value: unknown, options: GoJsonOptions): string {
  return write(value, options.sortKeys, options.indent ?? '', 0, options.escapeHtml === false ? goStringNoHtml : goString);
}

function write(value: unknown, sortKeys: boolean, indent: string, level: number, str: (s: string) => string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  const pad = indent === '' ? '' : '\n' + indent.repeat(level + 1);
  const close = indent === '' ? '' : '\n' + indent.repeat(level);
  const sep = indent === '' ? ':' : ': ';
  if (sortKeys && Object.hasOwn(value as object, STRUCT_ORDER)) sortKeys = false;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + value.map((v) => pad + write(v, sortKeys, indent, level + 1, str)).join(',') + close + ']';
  }
  const obj = value as Record<string, unknown>;
  let keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  if (sortKeys) keys = keys.sort(compareBytewise);
  if (keys.length === 0) return '{}';
  return '{' + keys.map((k) => pad + str(k) + sep + write(obj[k], sortKeys, indent, level + 1, str)).join(',') + close + '}';
}
