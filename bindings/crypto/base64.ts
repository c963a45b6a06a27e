/**
 * Standard base64 (RFC 4648 §4, `=` padding) as Go's `base64.StdEncoding` reads and writes it.
 *
 * Decoding reproduces Go's acceptance rules and its error offsets, because the error text
 * (`illegal base64 data at input byte <n>`) surfaces verbatim in key-loading and `decode sig`
 * errors: `\r` and `\n` are skipped anywhere, padding is mandatory, and the first offending byte
 * offset (in UTF-8 bytes of the input) is reported. Non-zero trailing bits are accepted (Go's
 * StdEncoding is not `Strict`).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 0x3d; // '='
const LF = 0x0a;
const CR = 0x0d;

const DECODE = new Uint8Array(256).fill(0xff);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Go's `base64.CorruptInputError`. */
export class Base64Error extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
    this.name = 'Base64Error';
    this.offset = offset;
  }
}

const utf8 = new TextEncoder();

/** Decodes like Go's `base64.StdEncoding.DecodeString`; throws {@link Base64Error}. */
export function decodeBase64Std(text: string): Uint8Array {
  const src = utf8.encode(text);
  const out = new Uint8Array(Math.floor(src.length / 4) * 3 + 3);
  let n = 0;
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing = -1;
    let done = false;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) {
          done = true; // only newlines were left
          break;
        }
        throw new Base64Error(si - j); // missing padding
      }
      const c = src[si]!;
      si++;
      const v = DECODE[c]!;
      if (v !== 0xff) {
        dbuf[j] = v;
        continue;
      }
      if (c === LF || c === CR) {
        j--;
        continue;
      }
      if (c !== PAD) throw new Base64Error(si - 1);
      // Padding: only after two or three data characters.
      if (j < 2) throw new Base64Error(si - 1);
      if (j === 2) {
        // "==" expected; the first '=' is consumed.
        while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
        if (si === src.length) throw new Base64Error(src.length);
        if (src[si] !== PAD) throw new Base64Error(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
      if (si < src.length) trailing = si; // data after the padding
      dlen = j;
      break;
    }
    if (done) break;
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    if (dlen >= 2) out[n++] = (val >> 16) & 0xff;
    if (dlen >= 3) out[n++] = (val >> 8) & 0xff;
    if (dlen >= 4) out[n++] = val & 0xff;
    if (trailing >= 0) throw new Base64Error(trailing);
  }
  return out.slice(0, n);
}

/** Standard, padded base64 (Go's `base64.StdEncoding.EncodeToString`). */
export function encodeBase64Std(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[(v >> 18) & 63]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += ALPHABET[(v >> 18) & 63]! + ALPHABET[(v >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[(v >> 18) & 63]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + '=';
  }
  return out;
}
