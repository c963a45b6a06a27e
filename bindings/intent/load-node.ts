/**
 * Reading intent files from disk (Node, Bun): Gait's `read intent: <os error>` texts, the 1 MiB
 * limit checked before the file is read, then decodeIntentBytes.
 */
import { promises as fs, openSync, fstatSync, readFileSync, closeSync } from 'node:fs';
import { GaitError, invalidInput } from '../errors.js';
import { decodeIntentBytes, MAX_INTENT_BYTES, type RawIntent } from './decode.js';
import { goPathError } from '../os-error.js';

export { goPathError };

function directoryError(): NodeJS.ErrnoException {
  const err = new Error('is a directory') as NodeJS.ErrnoException;
  err.code = 'EISDIR';
  return err;
}

const SIZE_MESSAGE = `intent exceeds maximum size of ${MAX_INTENT_BYTES} bytes`;

/** Reads and decodes an intent file. Throws GaitError (invalid_input). */
export async function loadIntentFile(path: string): Promise<RawIntent> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (err) {
    throw invalidInput(`read intent: ${goPathError(err, 'open', path)}`);
  }
  let bytes: Uint8Array;
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw directoryError();
    if (stat.size > MAX_INTENT_BYTES) throw invalidInput(SIZE_MESSAGE);
    const buf = await handle.readFile();
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } catch (err) {
    if (err instanceof GaitError) throw err;
    throw invalidInput(`read intent: ${goPathError(err, 'read', path)}`);
  } finally {
    await handle.close();
  }
  return decodeIntentBytes(bytes);
}

/** Synchronous loadIntentFile. */
export function loadIntentFileSync(path: string): RawIntent {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw invalidInput(`read intent: ${goPathError(err, 'open', path)}`);
  }
  let bytes: Uint8Array;
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw directoryError();
    if (stat.size > MAX_INTENT_BYTES) throw invalidInput(SIZE_MESSAGE);
    const buf = readFileSync(fd);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } catch (err) {
    if (err instanceof GaitError) throw err;
    throw invalidInput(`read intent: ${goPathError(err, 'read', path)}`);
  } finally {
    closeSync(fd);
  }
  return decodeIntentBytes(bytes);
}
