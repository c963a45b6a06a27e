/**
 * The file limit store (Node, Bun, Deno's Node compatibility): Gait's rate-limit state file,
 * read-modify-written under its lock (cli/state-file.ts), so concurrent processes on one machine
 * never lose a count.
 */
import * as path from 'node:path';
import { countInMap } from '../limits.js';
import { withStateFile, DEFAULT_STATE_PATH } from '../cli/state-file.js';
import type { LimitStore, LimitCount, LimitRequest } from './types.js';

/**
 * Consumes of one file in this process, queued: the lock file serializes processes, and polling it
 * from many evaluations of one process would only waste its 3 s patience on our own queue.
 */
const queues = new Map<string, Promise<unknown>>();

function queued<T>(file: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const tail = next.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return next;
}

export function fileLimitStore(file: string = DEFAULT_STATE_PATH): LimitStore {
  return {
    name: `file ${file}`,
    consume: (requests: readonly LimitRequest[]): Promise<LimitCount[]> =>
      queued(file, () => withStateFile(file, (counters) => countInMap(counters, requests))),
  };
}
