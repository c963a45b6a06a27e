/**
 * Numbers in policy YAML as Gait v1.3.6 reads them (its YAML library, then Go's int and float
 * decoding), established against the binary (divergence case 07):
 *
 * - A plain scalar is a number when the library's own number syntax takes it: an optional sign,
 *   underscores anywhere but first (dropped), `0x`/`0o`/`0b` or a leading `0` (octal) prefix, or
 *   exactly one `.` for a float. An integer beyond uint64 (or int64 when negative) and an exponent
 *   without a `.` (`1e3`) are strings. `.inf`, `-.inf`, `.nan` (three spellings each) are floats;
 *   `true`/`True`/`TRUE` and the `false` forms are booleans.
 * - Into an int field: an integer above int64 overflows; a float is truncated toward zero when
 *   it is at most 2^63 (one beyond 2^63-1 or below -2^63 becomes -2^63, as Go's conversion does
 *   on amd64) and overflows otherwise (NaN, +Inf); a string is read with Go's ParseFloat and taken
 *   when within [0, 2^64], converted the same way, and is a type error when ParseFloat refuses it.
 * - Into a float field: integers and floats as they are; a string through ParseFloat.
 */

/** A YAML scalar as Gait's YAML library types it. */
export type GoScalar =
  | { readonly k: 'null' }
  | { readonly k: 'bool' }
  | { readonly k: 'int'; readonly v: bigint } // int64 or uint64 range
  | { readonly k: 'float'; readonly v: number }
  | { readonly k: 'string'; readonly v: string }
  | { readonly k: 'tagged-int'; readonly v: number } // `!!int`: an int field refuses it
  | { readonly k: 'other'; readonly kind: string }; // e.g. !!binary bytes

const NULLS = new Set(['', 'null', 'Null', 'NULL', '~']);
const BOOLS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const FLOAT_WORDS: ReadonlyMap<string, number> = new Map([
  ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity],
  ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
  ['.nan', NaN], ['.NaN', NaN], ['.NAN', NaN],
]);

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** The type and value of a plain, untagged scalar's text. */
export function classifyPlain(text: string): GoScalar {
  if (NULLS.has(text)) return { k: 'null' };
  if (BOOLS.has(text)) return { k: 'bool' };
  const word = FLOAT_WORDS.get(text);
  if (word !== undefined) return { k: 'float', v: word };
  const n = libraryNumber(text);
  return n === undefined || n === 'range' ? { k: 'string', v: text } : n;
}

/**
 * Whether the library's printer takes a string for a number, and so quotes it (`"007"`, `"1.5"`,
 * `"0x1F"`): its number syntax, out-of-range values included (`"99999999999999999999"`).
 */
export function looksLikeLibraryNumber(text: string): boolean {
  return libraryNumber(text) !== undefined;
}

/** The library's number syntax: the number, 'range' when Go's parser reports ErrRange, or undefined. */
function libraryNumber(text: string): GoScalar | 'range' | undefined {
  if (text === '' || text.startsWith('_')) return undefined;
  const dots = text.split('.').length - 1;
  if (dots > 1) return undefined;
  const negative = text.startsWith('-');
  let t = text.startsWith('+') ? text.slice(1) : text;
  if (t.startsWith('-')) t = t.slice(1);
  t = t.replaceAll('_', '');
  let base = 10;
  let digits = t;
  if (t.startsWith('0x')) [base, digits] = [16, t.slice(2)];
  else if (t.startsWith('0o')) [base, digits] = [8, t.slice(2)];
  else if (t.startsWith('0b')) [base, digits] = [2, t.slice(2)];
  else if (dots === 0 && t.length > 1 && t.startsWith('0')) [base, digits] = [8, t.slice(1)];
  else if (dots === 1) {
    if (negative && /^[+-]/.test(t)) return undefined; // Go parses "-" + t: "--1.5" is no number
    const f = goParseFloatResult(t);
    if (f === undefined || f === 'range') return f;
    return { k: 'float', v: negative ? -f : f };
  }
  if (!DIGITS[base]!.test(digits)) return undefined;
  let v = BigInt(PREFIX[base]! + digits);
  if (negative) {
    v = -v;
    if (v < INT64_MIN) return 'range';
  } else if (v > UINT64_MAX) return 'range';
  return { k: 'int', v };
}

/**
 * Go's underscoreOK: underscores only between digits, or between a base prefix and a digit.
 */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.startsWith('+') || s.startsWith('-')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const DECIMAL = /^[+-]?(?:[0-9_]*\.?[0-9_]*)(?:[eE][+-]?[0-9][0-9_]*)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9][0-9_]*)$/;

/** Go's strconv.ParseFloat(s, 64), or undefined where it returns an error (syntax or range). */
export function goParseFloat(s: string): number | undefined {
  const f = goParseFloatResult(s);
  return f === 'range' ? undefined : f;
}

/** Go's strconv.ParseFloat(s, 64): the value, 'range' for ErrRange (overflow), undefined for ErrSyntax. */
function goParseFloatResult(s: string): number | 'range' | undefined {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  let value: number;
  const hex = HEX_FLOAT.exec(s);
  if (hex) {
    const int = hex[2]!.replaceAll('_', '');
    const frac = (hex[3] ?? '').replaceAll('_', '');
    if (int === '' && frac === '') return undefined;
    if (!underscoreOK(s)) return undefined;
    const mantissa = Number(BigInt('0x' + (int + frac || '0')));
    value = mantissa * 2 ** (Number(hex[4]!.replaceAll('_', '')) - 4 * frac.length);
    if (hex[1] === '-') value = -value;
  } else {
    if (!DECIMAL.test(s) || !/[0-9]/.test(s.split(/[eE]/)[0]!)) return undefined;
    if (s.includes('_') && !underscoreOK(s)) return undefined;
    value = Number(s.replaceAll('_', ''));
    if (Number.isNaN(value)) return undefined;
  }
  return Number.isFinite(value) ? value : 'range';
}

/** Go's int64(f) on amd64: truncation; NaN and values outside int64 give -2^63. */
function int64Of(f: number): number {
  if (!(f < TWO_63 && f >= -TWO_63)) return -TWO_63;
  const n = Math.trunc(f);
  return n === 0 ? 0 : n;
}

export type IntResult = { ok: true; v: number } | { ok: false; overflow: string } | { ok: false; mismatch: string };

/** A scalar decoded into a Go int field: its value (as a JavaScript number), or why not. */
export function toGoInt(s: GoScalar): IntResult {
  switch (s.k) {
    case 'int':
      if (s.v > INT64_MAX) return { ok: false, overflow: s.v.toString() };
      return { ok: true, v: Number(s.v) };
    case 'float':
      if (!(s.v <= TWO_63)) return { ok: false, overflow: String(s.v) };
      return { ok: true, v: int64Of(s.v) };
    case 'string': {
      const f = goParseFloat(s.v);
      if (f === undefined) return { ok: false, mismatch: 'string' };
      if (!(f >= 0 && f <= TWO_64)) return { ok: false, overflow: s.v };
      return { ok: true, v: int64Of(f) };
    }
    case 'tagged-int':
      return { ok: false, mismatch: 'int' };
    case 'other':
      return { ok: false, mismatch: s.kind };
    default:
      return { ok: false, mismatch: s.k };
  }
}

export type FloatResult = { ok: true; v: number } | { ok: false; mismatch: string };

/** A scalar decoded into a Go float64 field. */
export function toGoFloat(s: GoScalar): FloatResult {
  switch (s.k) {
    case 'int':
      return { ok: true, v: Number(s.v) };
    case 'float':
    case 'tagged-int':
      return { ok: true, v: s.v };
    case 'string': {
      const f = goParseFloat(s.v);
      return f === undefined ? { ok: false, mismatch: 'string' } : { ok: true, v: f };
    }
    case 'other':
      return { ok: false, mismatch: s.kind };
    default:
      return { ok: false, mismatch: s.k };
  }
}
