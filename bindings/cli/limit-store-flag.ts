/**
 * Where `gait gate eval` counts rate limits and budgets: the state file (`--rate-limit-state`,
 * Gait's) or a Redis / Valkey server (`--rate-limit-store redis://…`, ours). One process, one
 * evaluation: the Redis connection is opened for it and closed after, so the process can exit.
 */
import { invalidInput, GaitError } from '../errors.js';
import type { LimitCount, LimitRequest } from '../limits.js';
import { flagString, type ParsedFlags } from './flags.js';
import { DEFAULT_STATE_PATH } from './state-file.js';
import { fileLimitStore } from '../stores/file-node.js';
import { parseRedisUrl, redisLimitStore } from '../stores/redis.js';
import { LimitStoreError } from '../stores/types.js';

export async function consumeLimits(flags: ParsedFlags, requests: readonly LimitRequest[]): Promise<LimitCount[]> {
  const stateFile = flagString(flags, 'rate-limit-state').trim();
  const storeUrl = flagString(flags, 'rate-limit-store').trim();
  if (storeUrl === '') return fileLimitStore(stateFile || DEFAULT_STATE_PATH).consume(requests);
  if (stateFile !== '') throw invalidInput('--rate-limit-state and --rate-limit-store are exclusive: counters live in one place');
  let url: URL;
  try {
    url = parseRedisUrl(storeUrl);
  } catch (err) {
    throw invalidInput(`--rate-limit-store: ${(err as Error).message}`);
  }
  const store = redisLimitStore(url);
  try {
    return await store.consume(requests);
  } catch (err) {
    // Fails closed with exit 1 (Gait's network failures exit 1 too), never allows.
    if (err instanceof LimitStoreError) throw new GaitError(err.message, 'io_failure');
    throw err;
  } finally {
    await store.close();
  }
}
