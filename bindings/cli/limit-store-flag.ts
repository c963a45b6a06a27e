/**
 * Where `gait gate eval` counts rate limits and budgets: the state file (`--rate-limit-state`,
 * Gait's) or a Redis / Valkey server (`--rate-limit-store redis://…`, ours). Checked before
 * anything is read or written; one process, one evaluation: a Redis connection is opened only
 * when a count is needed and closed after, so the process can exit.
 */
import { invalidInput } from '../errors.js';
import { flagString, type ParsedFlags } from './flags.js';
import { DEFAULT_STATE_PATH } from './state-file.js';
import { fileLimitStore } from '../stores/file-node.js';
import { parseRedisUrl, redisLimitStore } from '../stores/redis.js';
import type { LimitStore } from '../stores/types.js';

export interface CliLimitStore {
  store: LimitStore;
  /** How long gate.enforce waits for it (each store also bounds its own waits). */
  timeoutMs: number;
  close(): Promise<void>;
}

export function limitStoreFromFlags(flags: ParsedFlags): CliLimitStore {
  const stateFile = flagString(flags, 'rate-limit-state').trim();
  const storeUrl = flagString(flags, 'rate-limit-store').trim();
  // The state file waits for its lock (3 s, then the takeover rules) by itself.
  if (storeUrl === '') return { store: fileLimitStore(stateFile || DEFAULT_STATE_PATH), timeoutMs: 120_000, close: async () => {} };
  if (stateFile !== '') throw invalidInput('--rate-limit-state and --rate-limit-store are exclusive: counters live in one place');
  let url: URL;
  try {
    url = parseRedisUrl(storeUrl);
  } catch (err) {
    throw invalidInput(`--rate-limit-store: ${(err as Error).message}`);
  }
  const store = redisLimitStore(url);
  return { store, timeoutMs: 10_000, close: () => store.close() };
}
