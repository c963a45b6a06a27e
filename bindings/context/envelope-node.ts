/**
 * Reading a context envelope file (`gait gate eval --context-envelope`, cli.md §2.3 step 10): the
 * path trimmed and cleaned, then accepted only if absolute or local (no `..` escape); a bounded
 * read of a regular file; then parseContextEnvelope. Errors are Gait's texts.
 */
import * as path from 'node:path';
import { invalidInput } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import { cleanPath } from '../intent/wrkr-node.js';
import { readRegularFile, readFailureText, FileTooLargeError } from '../read-file-node.js';
import { parseContextEnvelope, MAX_ENVELOPE_BYTES, type ContextEnvelope } from './envelope.js';

/** The cleaned path, or Gait's error for one that escapes the working directory. */
export function contextEnvelopePath(given: string): string {
  const trimmed = goTrim(given);
  if (trimmed === '') throw invalidInput('context envelope path is required');
  const cleaned = cleanPath(trimmed);
  // Go's filepath.IsLocal after Clean: relative and not climbing out (`..` can only lead).
  if (!path.posix.isAbsolute(cleaned) && (cleaned === '..' || cleaned.startsWith('../'))) {
    throw invalidInput('context envelope path must be a local filesystem path');
  }
  return cleaned;
}

/** Reads, parses and verifies an envelope file. Throws GaitError (invalid_input). */
export async function loadContextEnvelopeFile(given: string): Promise<ContextEnvelope> {
  const file = contextEnvelopePath(given);
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(file, MAX_ENVELOPE_BYTES);
  } catch (err) {
    if (err instanceof FileTooLargeError) throw invalidInput(`context envelope exceeds size limit (${MAX_ENVELOPE_BYTES} bytes)`);
    throw invalidInput(`read context envelope: ${readFailureText(err, file)}`);
  }
  return parseContextEnvelope(bytes);
}
