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

export function goLower(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    // Go maps each rune on its own: no final-sigma context, and U+0130 becomes a plain 'i'.
    out += cp === 0x130 ? 'i' : ch.toLowerCase();
  }
  return out;
}

export const trimLower = (s: string): string => goLower(goTrim(s));

/** Replace lone surrogates with U+FFFD, as Go's JSON decoder does with invalid input. */
export function wellFormed(s: string): string {
  return /[\ud800-\udfff]/.test(s) ? s.toWellFormed() : s;
}
