/**
 * Bytes -> text for policies and intents, without the YAML library: the decide-only build
 * (bindings/compiled/) shares these checks and must not import the parser.
 */
import { invalidInput, type GaitError } from '../errors.js';
import { MAX_POLICY_BYTES } from './constants.js';

export { MAX_POLICY_BYTES };

/** The prefix of every error from the YAML layer and the decoder (other callers re-prefix it). */
export const YAML_ERROR_PREFIX = 'parse policy yaml: ';

export const policySizeError = (): GaitError => invalidInput(`policy exceeds maximum size of ${MAX_POLICY_BYTES} bytes`);

/** Offset of the first byte that is not well-formed UTF-8, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Policy bytes -> text: size limit first (cheap), then strict UTF-8 (Go would carry invalid bytes on). */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length > MAX_POLICY_BYTES) throw policySizeError();
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) throw invalidInput(`${YAML_ERROR_PREFIX}policy is not valid UTF-8 (invalid byte at offset ${bad})`);
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes); // BOM kept: prepareText drops it
}

/**
 * Bytes -> text as Go's JSON encoder sees a Go string: valid UTF-8 sequences decode, and every
 * byte that does not start one becomes U+FFFD on its own (where TextDecoder would merge a
 * truncated sequence into one U+FFFD).
 */
export function goBytesToString(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need = -1;
    let min = 0;
    if (c < 0x80) { out += String.fromCharCode(c); i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    let cp = need > 0 ? c & (0x3f >> need) : -1;
    for (let k = 1; k <= need && cp >= 0; k++) {
      const cc = b[i + k];
      cp = cc === undefined || (cc & 0xc0) !== 0x80 ? -1 : (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\ufffd';
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}
