/**
 * The file limit store (Node, Bun, Deno's Node compatibility): Gait's rate-limit state file,
 * read-modify-written under its lock (cli/state-file.ts), so concurrent processes on one machine
 * never lose a count.
 */
import { countInMap } from '../limits.js';
import { withStateFile, DEFAULT_STATE_PATH } from '../cli/state-file.js';
import type { LimitStore, LimitCount, LimitRequest } from './types.js';

export function fileLimitStore(file: string = DEFAULT_STATE_PATH): LimitStore {
  return {
    name: `file ${file}`,
    consume: (requests: readonly LimitRequest[]): Promise<LimitCount[]> => withStateFile(file, (counters) => countInMap(counters, requests)),
  };
}
