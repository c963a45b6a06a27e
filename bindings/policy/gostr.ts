/**
 * Go's text renderings that leak into policy error messages and scalar coercion: `%q`
 * (strconv.Quote) and `%v` of a float64. Messages are part of the interface (policy.md §1, §3), so
 * they are reproduced rather than approximated with JSON.stringify.
 */

const HEX = '0123456789abcdef';

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space only.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote: double quotes, Go escapes for control and non-printable runes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp < 0x80) {
      if (cp >= 0x20 && cp < 0x7f) out += ch;
      else out += asciiEscape(cp);
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\ufffd'; // a lone surrogate is what Go sees as invalid UTF-8, printed as U+FFFD
    } else if (PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

function asciiEscape(cp: number): string {
  switch (cp) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
    default: return '\\x' + HEX[cp >> 4]! + HEX[cp & 15]!;
  }
}

/**
 * The `time` package's private quote: like %q for ASCII, but every byte of a non-ASCII or control
 * rune is written as `\xNN` (so `µs` typos render as `"\xc2\xb5"`).
 */
export function goTimeQuote(s: string): string {
  let out = '"';
  const enc = new TextEncoder();
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of enc.encode(ch)) out += '\\x' + HEX[b >> 4]! + HEX[b & 15]!;
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

/**
 * fmt's `%v` for a float64 (how the YAML decoder stringifies a float into a string field):
 * shortest round-trip digits; `%e` form when the decimal exponent is < -4 or >= 6, so `1e+06` and
 * `1.5e-05` but `100000` and `0.0001`; `1.0` becomes `1`.
 */
export function goFormatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  const [mant, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  let body: string;
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    const e = Math.abs(exp);
    body = digits[0]! + frac + 'e' + (exp < 0 ? '-' : '+') + (e < 10 ? '0' + e : String(e));
  } else if (exp < 0) {
    body = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    body = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    body = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return (neg ? '-' : '') + body;
}
