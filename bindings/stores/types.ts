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
