/** File access for the CLI with Go-like error texts and atomic writes (never half-written). */
import { promises as fs, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { goPathError } from '../os-error.js';

/** `open <path>: no such file or directory`, as Go's os errors read. */
export function osErrorText(err: unknown, op: string, file: string): string {
  return goPathError(err, op, file);
}

/** Reads a whole file, refusing anything larger than `limit` bytes. */
export async function readLimited(file: string, limit: number, what: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      const err = new Error('is a directory') as NodeJS.ErrnoException;
      err.code = 'EISDIR';
      throw err;
    }
    if (stat.size > limit) throw new SizeLimitError(`${what} exceeds maximum size of ${limit} bytes`);
    const buf = await handle.readFile();
    if (buf.length > limit) throw new SizeLimitError(`${what} exceeds maximum size of ${limit} bytes`);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } finally {
    await handle.close();
  }
}

export class SizeLimitError extends Error {}

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
