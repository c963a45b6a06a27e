/**
 * The rate-limit state file (`gait.gate.rate_limit_state` 1.0.0): read-modify-write under an
 * exclusive lock file (`<state>.lock`, 3 s timeout; see state-lock.ts for the takeover rules) and
 * replaced atomically, so concurrent `gait gate eval` processes never lose a count or leave a
 * torn file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { invalidInput } from '../errors.js';
import { acquireStateLock } from './state-lock.js';
import { writeFileAtomic } from './files.js';
import { compareBytewise } from '../canonical/order.js';
import { toPrettyJson } from './json.js';

export const DEFAULT_STATE_PATH = '.gait-out/gate_rate_limits.json';

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
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
  const lock = await acquireStateLock(`${file}.lock`);
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
    await lock.assertHeld();
    await writeFileAtomic(file, toPrettyJson(doc), 0o600);
    return result;
  } finally {
    await lock.release();
  }
}
