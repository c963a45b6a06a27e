/**
 * The rate-limit state file (`gait.gate.rate_limit_state` 1.0.0): read-modify-write under an
 * exclusive lock file (`<state>.lock`, 3 s timeout; see state-lock.ts for the takeover rules) and
 * replaced atomically, so concurrent `gait gate eval` processes never lose a count or leave a
 * torn file.
 *
 * - The path is resolved to the real file first (symlinks followed, also dangling ones), so every
 *   name of one file shares one lock, and the atomic replace writes the real file: a symlink is
 *   never replaced by a file.
 * - Reading is strict and fails closed: anything but a valid state file (wrong shape or schema,
 *   duplicate or unknown members, non-integer counts, duplicate counters, trailing bytes, invalid
 *   UTF-8, an empty file, a directory, FIFO or device, more than 64 MiB) is invalid input (exit 6)
 *   and the file is left untouched. Only a missing file is an empty state.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GaitError, invalidInput } from '../errors.js';
import { acquireStateLock, LOCK_STALE_MS } from './state-lock.js';
import { compareBytewise } from '../canonical/order.js';
import { toPrettyJson } from './json.js';
import { mkdirAll, writeFileAtomic } from './files.js';
import { readRegularFile, FileTooLargeError } from '../read-file-node.js';
import { goPathError } from '../os-error.js';
import { parseJsonTree, kindName, type JNode } from '../intent/json-tree.js';

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
      if (hop === 0) await mkdirAll(dir, 0o750);
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

/**
 * Gait v1.3.6 refuses to write the state to a relative path that leaves the working folder once
 * cleaned (`../s.json`, `a/../../s.json`; `a/../s.json` is fine); absolute paths are allowed.
 * Gait finds out only when writing; here nothing is created, counted or written first.
 */
function checkLocalStatePath(file: string): void {
  if (path.isAbsolute(file)) return;
  const cleaned = path.normalize(file);
  if (cleaned === '..' || cleaned.startsWith(`..${path.sep}`)) {
    throw invalidInput('write rate limit state: path must be local relative or absolute');
  }
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

/** The members of an object, each required exactly once, none other, names case-sensitive. */
function members(node: JNode, names: readonly string[], what: string, fail: (why: string) => GaitError): Map<string, JNode> {
  if (node.k !== 'obj') throw fail(`${what} must be an object, found ${kindName(node)}`);
  const out = new Map<string, JNode>();
  for (const [name, value] of node.entries) {
    if (!names.includes(name)) throw fail(`unknown member ${JSON.stringify(name)} in ${what}`);
    if (out.has(name)) throw fail(`duplicate member ${JSON.stringify(name)} in ${what}`);
    out.set(name, value);
  }
  for (const name of names) if (!out.has(name)) throw fail(`missing member ${JSON.stringify(name)} in ${what}`);
  return out;
}

export function parseState(bytes: Uint8Array, where: string): Map<string, number> {
  const fail = (why: string) => invalidInput(`parse rate limit state ${where}: ${why}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw fail('invalid UTF-8');
  }
  let doc: JNode;
  try {
    doc = parseJsonTree(text, 8, 'nested too deeply');
  } catch (err) {
    throw fail((err as Error).message);
  }
  const top = members(doc, ['schema_id', 'schema_version', 'counters'], 'the state', fail);
  const id = top.get('schema_id')!;
  if (id.k !== 'str' || id.v !== STATE_SCHEMA_ID) throw fail(`schema_id must be ${JSON.stringify(STATE_SCHEMA_ID)}`);
  const version = top.get('schema_version')!;
  if (version.k !== 'str' || version.v !== STATE_SCHEMA_VERSION) throw fail(`schema_version must be ${JSON.stringify(STATE_SCHEMA_VERSION)}`);
  const list = top.get('counters')!;
  if (list.k !== 'arr') throw fail(`counters must be an array, found ${kindName(list)}`);
  const counters = new Map<string, number>();
  list.items.forEach((item, i) => {
    const entry = members(item, ['key', 'count'], `counters[${i}]`, fail);
    const key = entry.get('key')!;
    const count = entry.get('count')!;
    if (key.k !== 'str' || key.v === '') throw fail(`counters[${i}].key must be a non-empty string`);
    if (count.k !== 'num' || !/^(0|[1-9][0-9]*)$/.test(count.raw) || !Number.isSafeInteger(count.v)) {
      throw fail(`counters[${i}].count must be a non-negative integer, found ${count.k === 'num' ? count.raw : kindName(count)}`);
    }
    if (counters.has(key.v)) throw fail(`duplicate counter key ${JSON.stringify(key.v)}`);
    counters.set(key.v, count.v);
  });
  return counters;
}

/** Removes temporary state files of writers that died before their rename (only old ones). */
async function sweepTemporaries(real: string): Promise<void> {
  const dir = path.dirname(real);
  const prefix = `.${path.basename(real)}.`;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const stat = await fs.lstat(path.join(dir, name)).catch(() => undefined);
    if (stat?.isFile() && Date.now() - stat.mtimeMs > LOCK_STALE_MS) await fs.rm(path.join(dir, name), { force: true }).catch(() => {});
  }
}

/** Runs `update` on the persisted counters under the lock and writes the result atomically. */
export async function withStateFile<T>(file: string, update: (counters: Map<string, number>) => T): Promise<T> {
  checkLocalStatePath(file);
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
      // `real` is the resolved path: a symlink to it stays a symlink. Synced: a crash leaves the old
      // counts or the new ones, never a torn file.
      await writeFileAtomic(real, toPrettyJson(doc), 0o600, { durable: true });
    } catch (err) {
      throw new GaitError(`write rate limit state ${describe(file, real)}: ${(err as Error).message}`, 'io_failure');
    }
    await sweepTemporaries(real);
    return result;
  } finally {
    await lock.release();
  }
}
