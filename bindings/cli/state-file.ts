/**
 * The rate-limit state file (`gait.gate.rate_limit_state` 1.0.0): read-modify-write under an
 * exclusive lock file (`<state>.lock`, 3 s timeout; see state-lock.ts for the takeover rules) and
 * replaced atomically, so concurrent `gait gate eval` processes never lose a count or leave a
 * torn file.
 *
 * - The path is resolved to the real file first (symlinks followed, also dangling ones), so every
 *   name of one file shares one lock, and the atomic replace writes the real file: a symlink is
 *   never replaced by a file.
 * - A directory, FIFO or device, or more than 64 MiB, is invalid input (exit 6), found before the
 *   lock is taken and again, without blocking, when the file is read.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { GaitError, invalidInput } from '../errors.js';
import { acquireStateLock } from './state-lock.js';
import { compareBytewise } from '../canonical/order.js';
import { toPrettyJson } from './json.js';
import { readRegularFile, FileTooLargeError } from '../read-file-node.js';
import { goPathError } from '../os-error.js';

export const DEFAULT_STATE_PATH = '.gait-out/gate_rate_limits.json';
export const STATE_SCHEMA_ID = 'gait.gate.rate_limit_state';
export const STATE_SCHEMA_VERSION = '1.0.0';
/** Far above any real state file (one counter per scope key and window), far below memory trouble. */
export const STATE_READ_LIMIT = 64 * 1024 * 1024;
const MAX_SYMLINK_HOPS = 40;

/** `rate limit state <given> (<real>)`: the path as given, and the file it resolved to. */
function describe(file: string, real: string): string {
  return real === path.resolve(file) ? file : `${file} (${real})`;
}

/**
 * The real path of the state file: symlinks followed hop by hop (a dangling link resolves to the
 * file it would create), directories resolved physically. Refuses existing non-regular files.
 */
async function realStatePath(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
    const dir = path.dirname(current);
    let realDir: string;
    try {
      // The folder of the path as given is created (as for the default .gait-out/); a symlink's
      // target folder must exist, as it must for open(2).
      if (hop === 0) await fs.mkdir(dir, { recursive: true, mode: 0o750 });
      realDir = await fs.realpath(dir);
    } catch (err) {
      throw invalidInput(`rate limit state ${file}: ${goPathError(err, hop === 0 ? 'mkdir' : 'stat', dir)}`);
    }
    current = path.join(realDir, path.basename(current));
    let stat;
    try {
      stat = await fs.lstat(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw invalidInput(`rate limit state ${file}: ${goPathError(err, 'lstat', current)}`);
    }
    if (stat.isSymbolicLink()) {
      current = path.resolve(realDir, await fs.readlink(current));
      continue;
    }
    if (stat.isDirectory()) throw invalidInput(`rate limit state ${describe(file, current)} is a directory, not a file`);
    if (!stat.isFile()) throw invalidInput(`rate limit state ${describe(file, current)} is not a regular file`);
    return current;
  }
  throw invalidInput(`rate limit state ${file}: too many levels of symbolic links`);
}

/** Reads the state strictly; a missing file is an empty state. */
async function readState(real: string, file: string): Promise<Map<string, number>> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(real, STATE_READ_LIMIT);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new Map();
    const where = describe(file, real);
    if (err instanceof FileTooLargeError) throw invalidInput(`read rate limit state ${where}: larger than ${STATE_READ_LIMIT} bytes`);
    if (code === 'EISDIR') throw invalidInput(`rate limit state ${where} is a directory, not a file`);
    if (code === 'ENOTREG') throw invalidInput(`rate limit state ${where} is not a regular file`);
    throw invalidInput(`read rate limit state ${where}: ${goPathError(err, 'open', real)}`);
  }
  return parseState(bytes, describe(file, real));
}

export function parseState(bytes: Uint8Array, file: string): Map<string, number> {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw invalidInput(`parse rate limit state ${file}: ${(err as Error).message}`);
  }
  const counters = new Map<string, number>();
  const list = (doc as { counters?: unknown })?.counters;
  if (typeof doc !== 'object' || doc === null || (list !== undefined && list !== null && !Array.isArray(list))) {
    throw invalidInput(`parse rate limit state ${file}: expected an object with a counters array`);
  }
  for (const entry of (list as unknown[] | null | undefined) ?? []) {
    const { key, count } = (entry ?? {}) as { key?: unknown; count?: unknown };
    if (typeof key !== 'string' || typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw invalidInput(`parse rate limit state ${file}: invalid counter entry`);
    }
    counters.set(key, count);
  }
  return counters;
}

/**
 * Writes `data` to a new temporary file beside `real`, syncs it and renames it over `real`, so
 * readers (and a crash at any moment) see the old file or the new one, never a torn one. `real`
 * is the resolved path, so a symlink to it stays a symlink.
 */
async function replaceAtomically(real: string, data: string): Promise<void> {
  const dir = path.dirname(real);
  const tmp = path.join(dir, `.${path.basename(real)}.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await fs.rename(tmp, real);
  } catch (err) {
    await handle.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  // Make the rename itself durable where the platform allows syncing a directory.
  const dirHandle = await fs.open(dir, 'r').catch(() => undefined);
  await dirHandle?.sync().catch(() => {});
  await dirHandle?.close().catch(() => {});
}

/** Runs `update` on the persisted counters under the lock and writes the result atomically. */
export async function withStateFile<T>(file: string, update: (counters: Map<string, number>) => T): Promise<T> {
  const real = await realStatePath(file);
  const lock = await acquireStateLock(`${real}.lock`);
  try {
    if ((await realStatePath(file)) !== real) {
      throw new GaitError(`rate limit state ${file} changed while taking its lock; retry`, 'state_contention');
    }
    const counters = await readState(real, file);
    const result = update(counters);
    const doc = {
      schema_id: STATE_SCHEMA_ID,
      schema_version: STATE_SCHEMA_VERSION,
      counters: [...counters.entries()].sort((a, b) => compareBytewise(a[0], b[0])).map(([key, count]) => ({ key, count })),
    };
    await lock.assertHeld();
    try {
      await replaceAtomically(real, toPrettyJson(doc));
    } catch (err) {
      throw new GaitError(`write rate limit state ${describe(file, real)}: ${(err as Error).message}`, 'io_failure');
    }
    return result;
  } finally {
    await lock.release();
  }
}
