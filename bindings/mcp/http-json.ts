/**
 * JSON as `gait mcp serve` writes its HTTP bodies (mcp.md §10.5): Go struct encoding, so keys in
 * declaration (insertion) order and undefined members omitted, one line. U+2028/U+2029 are always
 * escaped; `<`, `>`, `&` only where Gait's encoder escapes HTML (the SSE endpoint).
 */

const ALWAYS = /[\u2028\u2029]/g;
const WITH_HTML = /[<>&\u2028\u2029]/g;
const escape = (ch: string): string => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');

function str(s: string, html: boolean): string {
  return JSON.stringify(s.toWellFormed()).replace(html ? WITH_HTML : ALWAYS, escape);
}

function write(value: unknown, html: boolean): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string': return str(value, html);
    case 'number': return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean': return value ? 'true' : 'false';
    default: break;
  }
  if (Array.isArray(value)) return '[' + value.map((v) => write(v, html)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(obj)) {
    if (obj[key] === undefined) continue;
    out += (out === '' ? '' : ',') + str(key, html) + ':' + write(obj[key], html);
  }
  return '{' + out + '}';
}

/** One line, struct order, no trailing newline. */
export function structJson(value: unknown, escapeHtml = false): string {
  return write(value, escapeHtml);
}
