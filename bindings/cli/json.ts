/**
 * JSON as Gait's Go CLI prints it (cli.md §0.3): keys sorted byte-wise at every level for
 * stdout, except inside objects marked with structOrder(); struct order for pretty files; `<`,
 * `>`, `&`, U+2028 and U+2029 escaped like Go's encoder. Undefined members are omitted.
 */
import { compareBytewise } from '../canonical/order.js';

const STRUCT_ORDER: unique symbol = Symbol('gait.structOrder');

/**
 * Marks an object (and everything inside it) to be printed in its own key order on stdout too:
 * a Go struct that reaches the writer without the map round trip, such as the `migration`
 * object of the legacy-policy error envelope. Returns a marked shallow copy.
 */
export function structOrder<T extends object>(value: T): T {
  const copy = Array.isArray(value) ? [...value] : { ...value };
  Object.defineProperty(copy, STRUCT_ORDER, { value: true });
  return copy as T;
}

const GO_ESCAPES = /[<>&\u2028\u2029]/g;
const goEscape = (ch: string): string => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');

export function goString(s: string): string {
  return JSON.stringify(s.toWellFormed()).replace(GO_ESCAPES, goEscape);
}

function write(value: unknown, sortKeys: boolean, indent: string, level: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  const pad = indent === '' ? '' : '\n' + indent.repeat(level + 1);
  const close = indent === '' ? '' : '\n' + indent.repeat(level);
  const sep = indent === '' ? ':' : ': ';
  if (sortKeys && Object.hasOwn(value as object, STRUCT_ORDER)) sortKeys = false;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + value.map((v) => pad + write(v, sortKeys, indent, level + 1)).join(',') + close + ']';
  }
  const obj = value as Record<string, unknown>;
  let keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  if (sortKeys) keys = keys.sort(compareBytewise);
  if (keys.length === 0) return '{}';
  return '{' + keys.map((k) => pad + goString(k) + sep + write(obj[k], sortKeys, indent, level + 1)).join(',') + close + '}';
}

/** One line, keys sorted: the CLI's stdout form. */
export function toCliJson(value: unknown): string {
  return write(value, true, '', 0);
}

/** Pretty, 2-space, struct (insertion) order, trailing newline: traces and audit files. */
export function toPrettyJson(value: unknown): string {
  return write(value, false, '  ', 0) + '\n';
}
