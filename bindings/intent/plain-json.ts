/**
 * Intent JSON text for the fast paths (normalize-object.ts, core/encode-object.ts): JSON.parse
 * reads it, natively, and the result may be used only where it is what Go's decoder (decode.ts)
 * reads from the same text. Two differences matter, and the caller checks both:
 * - a member name repeated in one object: JSON.parse keeps the last value, while Go decodes each
 *   occurrence into the struct it already filled (so `null` keeps the earlier value, and a second
 *   `context` object merges into the first): `membersMatch` detects any repetition;
 * - an empty time (`created_at`, delegation times): the object API reads it as unset, Go's
 *   decoder rejects it: `parseIntentJson` declines it.
 * Everything else JSON.parse rejects or reads differently (invalid syntax, numbers out of range,
 * lone surrogates, depth) is declined here or by the fast paths, and goes to decode.ts.
 */
import { MAX_INTENT_BYTES } from './decode.js';
import { isPlainObject } from './fast-decode.js';

/** The parsed intent object, or undefined when the text must go to decode.ts. Never throws. */
export function parseIntentJson(text: string): Record<string, unknown> | undefined {
  if (text.length * 3 > MAX_INTENT_BYTES) return undefined; // decode.ts measures the UTF-8 size
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(value) || value.created_at === '' || hasEmptyTime(value.delegation)) return undefined;
  return value;
}

/** An empty delegation time anywhere (Go rejects it; the object API reads it as unset). */
function hasEmptyTime(delegation: unknown): boolean {
  if (!isPlainObject(delegation)) return false;
  if (delegation.issued_at === '' || delegation.expires_at === '') return true;
  const chain = delegation.chain;
  if (!Array.isArray(chain)) return false;
  for (const link of chain) {
    if (isPlainObject(link) && (link.issued_at === '' || link.expires_at === '')) return true;
  }
  return false;
}

/**
 * Whether `value` (JSON.parse of `text`) holds every member the text has: true exactly when no
 * object in the text repeats a member name. Members in the text are the `:` outside strings.
 */
export function membersMatch(text: string, value: unknown): boolean {
  return membersInText(text) === membersIn(value);
}

function membersInText(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a /* : */) n++;
    else if (c === 0x22 /* " */) {
      // Skip the string; the text parsed, so it is closed.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    }
  }
  return n;
}

function membersIn(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) n += membersIn(v[i]);
    return n;
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) n += 1 + membersIn(o[key]);
  return n;
}
