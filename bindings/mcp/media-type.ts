/**
 * The media type of a `Content-Type` header, parsed with the rules of Go's mime.ParseMediaType,
 * because `gait mcp serve` accepts or refuses a request by that parser's verdict (mcp.md §10.4
 * step 3): `application/json;` is fine, `application/json; charset` or a repeated parameter with
 * another value is not.
 */
import { goLower, goTrim } from '../canonical/text.js';

/** RFC 2045 token characters: visible ASCII except the tspecials. */
function isTokenChar(c: number): boolean {
  return c > 0x20 && c < 0x7f && '()<>@,;:\\"/[]?='.indexOf(String.fromCharCode(c)) < 0;
}

const TSPECIALS = '()<>@,;:\\"/[]?=';

// unicode.IsSpace, which Go trims with here.
const SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const trimLeft = (s: string): string => s.replace(SPACE, '');

function consumeToken(v: string): [token: string, rest: string] {
  let i = 0;
  while (i < v.length && isTokenChar(v.charCodeAt(i))) i++;
  return [v.slice(0, i), v.slice(i)];
}

function consumeValue(v: string): [value: string, rest: string] {
  if (v === '') return ['', ''];
  if (v[0] !== '"') return consumeToken(v);
  let out = '';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"') return [out, v.slice(i + 1)];
    if (c === '\\' && i + 1 < v.length && TSPECIALS.includes(v[i + 1]!)) {
      out += v[++i];
      continue;
    }
    if (c === '\r' || c === '\n') return ['', v];
    out += c;
  }
  return ['', v]; // no closing quote
}

function consumeParam(v: string): [key: string, value: string, rest: string] {
  let rest = trimLeft(v);
  if (!rest.startsWith(';')) return ['', '', v];
  rest = trimLeft(rest.slice(1));
  let key: string;
  [key, rest] = consumeToken(rest);
  key = goLower(key);
  if (key === '') return ['', '', v];
  rest = trimLeft(rest);
  if (!rest.startsWith('=')) return ['', '', v];
  rest = trimLeft(rest.slice(1));
  const [value, after] = consumeValue(rest);
  if (value === '' && after === rest) return ['', '', v];
  return [key, value, after];
}

/**
 * The lower-cased media type (`application/json`), or undefined when Go's parser would return an
 * error (the parameters are checked, then ignored).
 */
export function parseMediaType(header: string): string | undefined {
  const semi = header.indexOf(';');
  const base = semi < 0 ? header : header.slice(0, semi);
  const mediaType = goTrim(goLower(base));
  const [type, afterType] = consumeToken(mediaType);
  if (type === '') return undefined;
  if (afterType !== '') {
    if (!afterType.startsWith('/')) return undefined;
    const [subtype, afterSubtype] = consumeToken(afterType.slice(1));
    if (subtype === '' || afterSubtype !== '') return undefined;
  }
  // Parameters: plain ones in one map, RFC 2231 `name*…` ones in a map per base name.
  const plain = new Map<string, string>();
  const continued = new Map<string, Map<string, string>>();
  let v = header.slice(base.length);
  while (v.length > 0) {
    v = trimLeft(v);
    if (v === '') break;
    const [key, value, rest] = consumeParam(v);
    if (key === '') {
      if (goTrim(rest) === ';') break; // a trailing semicolon is allowed
      return undefined;
    }
    let params = plain;
    const star = key.indexOf('*');
    if (star >= 0) {
      const baseName = key.slice(0, star);
      params = continued.get(baseName) ?? new Map();
      continued.set(baseName, params);
    }
    const seen = params.get(key);
    if (seen !== undefined && seen !== value) return undefined;
    params.set(key, value);
    v = rest;
  }
  return mediaType;
}
