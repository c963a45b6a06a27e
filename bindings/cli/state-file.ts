/**
 * The rate-limit state file (`gait.gate.rate_limit_state` 1.0.0): read-modify-write under an
 * exclusive lock file (`<state>.lock`, 3 s timeout, stale after 15 s) and replaced atomically, so
 * concurrent `gait gate eval` processes never lose a count or leave a torn file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GaitError, invalidInput } from '../errors.js';
import { writeFileAtomic } from './files.js';
import { compareBytewise } from '../canonical/order.js';
import { toPrettyJson } from './json.js';

const LOCK_TIMEOUT_MS = 3000;
const LOCK_STALE_MS = 15000;
export const DEFAULT_STATE_PATH = '.gait-out/gate_rate_limits.json';

async function acquireLock(lockPath: string): Promise<void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  await fs.mkdir(path.dirname(lockPath), { recursive: true, mode: 0o750 });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new GaitError(`acquire rate limit lock: ${(err as Error).message}`, 'io_failure');
      }
    }
    // A lock older than the stale limit belongs to a process that died holding it.
    const stat = await fs.stat(lockPath).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) {
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new GaitError(`rate limit state lock timeout: ${lockPath} held by another process`, 'state_contention');
    }
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20) + Math.min(attempt, 10)));
  }
}

function parseState(text: string, file: string): Map<string, number> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
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

/** Runs `update` on the persisted counters under the lock and writes the result atomically. */
export async function withStateFile<T>(file: string, update: (counters: Map<string, number>) => T): Promise<T> {
  const lockPath = `${file}.lock`;
  await acquireLock(lockPath);
  try {
    let counters = new Map<string, number>();
    try {
      counters = parseState(await fs.readFile(file, 'utf8'), file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const result = update(counters);
    const doc = {
      schema_id: 'gait.gate.rate_limit_state',
      schema_version: '1.0.0',
      counters: [...counters.entries()].sort((a, b) => compareBytewise(a[0], b[0])).map(([key, count]) => ({ key, count })),
    };
    await writeFileAtomic(file, toPrettyJson(doc), 0o600);
    return result;
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}
