/**
 * The intent and inventory functions as the package exports them: arguments checked (a wrong
 * type is a GaitError that says what was expected), intents taken as JSON text, bytes or a plain
 * object and decoded with Go's JSON rules before normalization.
 */
import { asGaitError, assertNormalizedIntent, intentInput, jsonText } from './arguments.js';
import { invalidInput } from './errors.js';
import { decodeIntentJson, decodeIntentValue } from './intent/decode.js';
import { normalizeIntent as normalizeRaw, type NormalizeOptions } from './intent/normalize.js';
import { intentDigest as digestOf } from './intent/digest.js';
import { parseWrkrInventory as parseWrkr, type WrkrInventoryMap } from './intent/wrkr.js';
import type { NormalizedIntent } from './intent/model.js';
import type { IntentInput } from './intent/request.js';

/** An intent (JSON text, its UTF-8 bytes, or a plain object) normalized like Gait, with digests. */
export function normalizeIntent(intent: IntentInput, options: NormalizeOptions = {}): NormalizedIntent {
  try {
    const input = intentInput('normalizeIntent', intent);
    return normalizeRaw(typeof input === 'string' ? decodeIntentJson(input) : decodeIntentValue(input), options);
  } catch (err) {
    throw asGaitError('normalizeIntent', err);
  }
}

/** The intent digest of a normalized intent (from normalizeIntent). */
export function intentDigest(normalized: NormalizedIntent): string {
  try {
    assertNormalizedIntent('intentDigest', normalized);
    return digestOf(normalized);
  } catch (err) {
    if (err instanceof TypeError) throw invalidInput(`intentDigest: expected a normalized intent (from normalizeIntent): ${err.message}`);
    throw asGaitError('intentDigest', err);
  }
}

/** A Wrkr inventory (JSON text or its UTF-8 bytes) as a map by tool name. */
export function parseWrkrInventory(text: string | Uint8Array): WrkrInventoryMap {
  return parseWrkr(jsonText('parseWrkrInventory', 'Wrkr inventory JSON text', text));
}
