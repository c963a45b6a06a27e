/**
 * The memory limit store: counters in a Map of this isolate (exact within one process or
 * isolate, lost on restart). The reference for every other store.
 */
import { countInMap } from '../limits.js';
import type { LimitStore, LimitCount, LimitRequest } from './types.js';

export function memoryLimitStore(counters: Map<string, number> = new Map()): LimitStore & { readonly counters: Map<string, number> } {
  return {
    name: 'memory',
    counters,
    consume: (requests: readonly LimitRequest[]): LimitCount[] => countInMap(counters, requests),
  };
}
