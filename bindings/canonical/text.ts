/**
 * Go's `strings.TrimSpace` and `strings.ToLower`, which Gait applies everywhere. JavaScript's
 * `trim()` and `toLowerCase()` differ at the edges (U+0085 and U+FEFF, U+0130, final sigma), and
 * a digest must not depend on which language normalized the input.
 */

// unicode.IsSpace: ASCII \t \n \v \f \r space, U+0085, U+00A0 and the Unicode Z-category spaces.
function isGoSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

export function goTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

const NON_ASCII = /[^\x00-\x7f]/;

/** No upper-case ASCII and nothing beyond ASCII: goLower would hand the string back as it is. */
function isLowerAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return false;
  }
  return true;
}

export function goLower(s: string): string {
  // Most strings are already lower-case ASCII: hand them back as they are (no copy, and a Map
  // lookup keeps using their cached hash).
  return isLowerAscii(s) ? s : lowerChanged(s);
}

function lowerChanged(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    // Go maps each rune on its own: no final-sigma context, and U+0130 becomes a plain 'i'.
    out += cp === 0x130 ? 'i' : ch.toLowerCase();
  }
  return out;
}

/** goLower(goTrim(s)), in one pass for the usual string that is already both. */
export function trimLower(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  // Neither end can be a space when both are printable ASCII.
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f && isLowerAscii(s)) return s;
  return goLower(goTrim(s));
}

/** Replace lone surrogates with U+FFFD, as Go's JSON decoder does with invalid input. */
export function wellFormed(s: string): string {
  return /[\ud800-\udfff]/.test(s) ? s.toWellFormed() : s;
}
