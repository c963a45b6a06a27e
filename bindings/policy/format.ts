/**
 * `policy fmt` (policy.md §10.2): the normalized model printed as canonical YAML. Every field is
 * emitted in model order (from schema.ts), zero values included; 2-space indentation; lists in
 * block style with the dash at the parent key's indentation, `[]` when empty; `null` for absent
 * pointers; floats always with a fraction; strings double-quoted only when a YAML reader could
 * take them for something else. Re-parsing the output gives the same model, so fmt is idempotent
 * and never changes the digest. Byte equality with Gait's printer is not a goal (README decision 3).
 */
import type { Policy } from './model.js';
import { POLICY_SCHEMA, type Struct } from './schema.js';
import { withPolicy } from '../arguments.js';

// Scalars a YAML 1.1 or 1.2 reader resolves to null, bool, number or timestamp.
const SPECIAL_WORDS = new Set([
  'null', 'Null', 'NULL', '~', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
]);
const NUMERIC = [
  /^[-+]?[0-9][0-9_]*$/, // int (decimal, also legacy octal 017)
  /^[-+]?0[xX][0-9a-fA-F_]+$/,
  /^[-+]?0[oO][0-7_]+$/,
  /^[-+]?0[bB][01_]+$/,
  /^[-+]?(?=\.?[0-9])[0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?$/, // float with a dot
  /^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$/, // float with exponent only
  /^[-+]?\.(inf|Inf|INF)$/,
  /^\.(nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/, // timestamp
];
// Safe plain scalars: a conservative character set (globs like `/tmp/**` and `api.*.example.com`
// stay plain), no indicator in first position, no flow indicators, `:` or `#` anywhere, no edge
// spaces, and no indicator right after a space.
const PLAIN_FIRST = /^[A-Za-z0-9_./\p{L}\p{N}]$/u;
const PLAIN_REST = /^[A-Za-z0-9_./ \-+=~^$()*;\p{L}\p{M}\p{N}]*$/u;
const SPACE_INDICATOR = / [-*]/;

function plainIsSafe(s: string): boolean {
  if (s === '' || s.endsWith(' ')) return false;
  const first = String.fromCodePoint(s.codePointAt(0)!);
  if (!PLAIN_FIRST.test(first) || !PLAIN_REST.test(s.slice(first.length)) || SPACE_INDICATOR.test(s)) return false;
  if (SPECIAL_WORDS.has(s)) return false;
  return !NUMERIC.some((re) => re.test(s));
}

const NAMED_ESCAPES: Record<number, string> = {
  0x00: '\\0', 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r',
  0x1b: '\\e', 0x22: '\\"', 0x5c: '\\\\', 0x85: '\\N', 0xa0: '\\_', 0x2028: '\\L', 0x2029: '\\P',
};

/** A YAML double-quoted scalar; every non-printing or line-breaking character is escaped. */
function doubleQuoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const named = NAMED_ESCAPES[c];
    if (named !== undefined) out += named;
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c === 0xfeff || (c >= 0xd800 && c <= 0xdfff && !isPairAt(s, i))) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdbff) {
      out += s[i]! + s[i + 1]!;
      i++;
    } else out += s[i]!;
  }
  return out + '"';
}

function isPairAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
}

export function yamlString(s: string): string {
  return plainIsSafe(s) ? s : doubleQuoted(s);
}

/** Floats always carry a fraction so they read back as floats: 0 -> 0.0, 1e-7 -> 1.0e-7. */
function yamlFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  const s = String(x);
  if (s.includes('.')) return s;
  const e = s.indexOf('e');
  return e < 0 ? s + '.0' : s.slice(0, e) + '.0' + s.slice(e);
}

/**
 * An int field: every digit written out (String() would round 2^63 to 9223372036854776000, which
 * Gait reads as an overflow). Ints are doubles here; 2^63 stands for Go's MaxInt64 and prints so.
 */
function yamlInt(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  return n >= 2 ** 63 ? '9223372036854775807' : BigInt(n).toString();
}

function emit(obj: Record<string, unknown>, def: Struct, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [key, field] of Object.entries(def.fields)) {
    const v = obj[key];
    if (typeof field === 'string') {
      switch (field) {
        case 'strings': {
          const items = v as string[];
          if (items.length === 0) lines.push(`${pad}${key}: []`);
          else {
            lines.push(`${pad}${key}:`);
            for (const item of items) lines.push(`${pad}- ${yamlString(item)}`);
          }
          break;
        }
        case 'string':
          lines.push(`${pad}${key}: ${yamlString(v as string)}`);
          break;
        case 'float':
          lines.push(`${pad}${key}: ${yamlFloat(v as number)}`);
          break;
        default: // int, int?, bool, bool?
          lines.push(`${pad}${key}: ${typeof v === 'number' ? yamlInt(v) : String(v)}`);
      }
    } else if ('list' in field) {
      const items = v as Array<Record<string, unknown>>;
      if (items.length === 0) {
        lines.push(`${pad}${key}: []`);
        continue;
      }
      lines.push(`${pad}${key}:`);
      for (const item of items) {
        const sub: string[] = [];
        emit(item, field.list, indent + 2, sub);
        sub[0] = `${pad}- ${sub[0]!.slice(indent + 2)}`;
        lines.push(...sub);
      }
    } else {
      lines.push(`${pad}${key}:`);
      emit(v as Record<string, unknown>, field, indent + 2, lines);
    }
  }
}

/** Canonical YAML text of a normalized policy, with a trailing newline. */
export function formatPolicy(p: Policy): string {
  return withPolicy('formatPolicy', p, () => {
    const lines: string[] = [];
    emit(p as unknown as Record<string, unknown>, POLICY_SCHEMA, 0, lines);
    return lines.join('\n') + '\n';
  });
}
