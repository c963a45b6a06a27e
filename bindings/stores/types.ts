/**
 * The limit-store port: where rate-limit and destructive-budget counters live. One contract,
 * many backends (memory, the state file, Redis, Durable Objects, Deno KV), like
 * rate-limiter-flexible's stores. The pipeline computes the requests (limits.ts); a store only
 * checks and counts them, atomically, and never sees a policy or an intent.
 */
import type { LimitCount, LimitRequest } from '../limits.js';

export type { LimitCount, LimitRequest };

export interface LimitStore {
  /** Names the store in errors (`memory`, `file .gait-out/gate_rate_limits.json`, `redis://…`). */
  readonly name: string;
  /**
   * Checks and counts `requests` as one atomic step, in order, with countInMap's semantics: a
   * request is counted while `used < requests`; one that is refused counts nothing. Another
   * evaluation never sees half of it. Throws (or rejects) when it cannot answer: the pipeline
   * then blocks (fails closed) and never allows.
   */
  consume(requests: readonly LimitRequest[]): Promise<LimitCount[]> | LimitCount[];
}

/**
 * A store that could not answer (unreachable, too slow, a garbled reply). The pipeline turns it
 * into a block with reason code `limit_store_unavailable`; the message names the store.
 */
export class LimitStoreError extends Error {
  readonly code = 'limit_store_unavailable';
  constructor(readonly store: string, message: string, options?: { cause?: unknown }) {
    super(`limit store ${store}: ${message}`, options);
    this.name = 'LimitStoreError';
  }
}

/** Rejects with LimitStoreError when `work` takes longer than `ms` (the store is then "slow"). */
export function withStoreTimeout<T>(store: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LimitStoreError(store, `no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
