/**
 * The Deno KV store's prune record for one window: what countInMap's pruning ("each request
 * deletes the window's counters of earlier buckets") did, kept lazily. A counter of bucket x
 * written at versionstamp v is pruned iff some later request of its window had a bucket > x.
 *
 * The record is a stack of [bucket, versionstamp] (bucket strictly decreasing from the bottom):
 * a request of bucket b pops the entries of earlier buckets and leaves b on top, stamped with
 * its commit. Only a bucket that is not already on top changes it, so requests in the current
 * bucket (the usual case) leave it alone. A stamp of null means "the commit that last wrote
 * the record" (a commit cannot know its own versionstamp): it is filled in when read.
 */

export type StackEntry = [bucket: string, versionstamp: string | null];

export interface WindowRecord {
  stack: StackEntry[];
}

/** More entries than this (buckets going back in time again and again): the store fails closed. */
export const MAX_STACK = 256;

/** The record as stored (`value`, `versionstamp` from kv.get), or undefined when garbled. */
export function parseWindowRecord(value: unknown, versionstamp: string | null): WindowRecord | undefined {
  if (versionstamp === null) return { stack: [] };
  if (!Array.isArray(value) || value.length > MAX_STACK) return undefined;
  const stack: StackEntry[] = [];
  for (const e of value as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || (e[1] !== null && typeof e[1] !== 'string')) return undefined;
    if (stack.length > 0 && !(stack[stack.length - 1]![0] > e[0])) return undefined;
    stack.push([e[0], e[1] ?? versionstamp]);
  }
  return { stack };
}

/** Was a counter of `bucket`, last written at `versionstamp`, pruned since? */
export function isCounterPruned(record: WindowRecord, bucket: string | undefined, versionstamp: string): boolean {
  if (bucket === undefined) return false;
  return record.stack.some(([b, v]) => b > bucket && v !== null && v > versionstamp);
}

/** Records a request of `bucket` (stamped with the coming commit); true when the record changed. */
export function recordRequest(record: WindowRecord, bucket: string): boolean {
  const { stack } = record;
  let popped = false;
  while (stack.length > 0 && stack[stack.length - 1]![0] < bucket) {
    stack.pop();
    popped = true;
  }
  const top = stack[stack.length - 1];
  if (top && top[0] === bucket) {
    if (!popped) return false;
    top[1] = null;
  } else {
    stack.push([bucket, null]);
  }
  return true;
}
