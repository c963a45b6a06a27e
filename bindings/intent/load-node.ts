/**
 * Reading intent files from disk (Node, Bun): Gait's `read intent: <os error>` texts, only regular
 * files (a FIFO or `/dev/zero` is refused, never waited on), at most the 1 MiB limit + 1 bytes
 * read, then decodeIntentBytes.
 */
import { invalidInput } from '../errors.js';
import { decodeIntentBytes, MAX_INTENT_BYTES, type RawIntent } from './decode.js';
import { goPathError } from '../os-error.js';
import { readRegularFile, readRegularFileSync, readFailureText, FileTooLargeError } from '../read-file-node.js';

export { goPathError };

const SIZE_MESSAGE = `intent exceeds maximum size of ${MAX_INTENT_BYTES} bytes`;

function readError(err: unknown, path: string) {
  if (err instanceof FileTooLargeError) return invalidInput(SIZE_MESSAGE);
  return invalidInput(`read intent: ${readFailureText(err, path)}`);
}

/** Reads and decodes an intent file. Throws GaitError (invalid_input). */
export async function loadIntentFile(path: string): Promise<RawIntent> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, MAX_INTENT_BYTES);
  } catch (err) {
    throw readError(err, path);
  }
  return decodeIntentBytes(bytes);
}

/** Synchronous loadIntentFile. */
export function loadIntentFileSync(path: string): RawIntent {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(path, MAX_INTENT_BYTES);
  } catch (err) {
    throw readError(err, path);
  }
  return decodeIntentBytes(bytes);
}
