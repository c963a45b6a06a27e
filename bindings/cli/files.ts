/**
 * File access for the CLI: bounded reads of regular files with Go-like error texts, and atomic
 * writes (never half-written).
 *
 * Inputs go through readRegularFile (bindings/read-file-node.ts): a FIFO, a device or a directory
 * is refused at once, and no read passes its limit + 1 bytes.
 */
import { promises as fs, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { goPathError } from '../os-error.js';
import { readRegularFile, readFailureText, FileTooLargeError } from '../read-file-node.js';

export { readFailureText, FileTooLargeError };

/** `open <path>: no such file or directory`, as Go's os errors read. */
export function osErrorText(err: unknown, op: string, file: string): string {
  return goPathError(err, op, file);
}

/** Reads a whole regular file of at most `limit` bytes (errors: see readFailureText). */
export function readInputFile(file: string, limit: number): Promise<Uint8Array> {
  return readRegularFile(file, limit);
}

/**
 * readInputFile where a missing file is undefined (registries). Other failures throw an Error
 * whose message is readFailureText's (`read <path>: not a regular file`).
 */
export async function readOptionalInputFile(file: string, limit: number): Promise<Uint8Array | undefined> {
  try {
    return await readRegularFile(file, limit);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw Object.assign(new Error(readFailureText(err, file)), { code: (err as NodeJS.ErrnoException).code });
  }
}

/** Writes via a temporary file in the same directory and renames it into place. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o750 });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, data, { mode });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file or folder shipped with the package (examples, policy templates), or undefined when it is
 * missing. The sources (bindings/cli), dist/cli and the bundle (dist/bundle) all sit two levels
 * below the package root.
 */
export function packagePath(relative: string): string | undefined {
  const p = fileURLToPath(new URL(`../../${relative}`, import.meta.url));
  return existsSync(p) ? p : undefined;
}
