/**
 * The Deno KV limit store: counters in a Deno KV database (a local SQLite file, Deno Deploy's
 * KV, or any KV with the same atomic API), counted with optimistic transactions: read the
 * counters, run countInMap on what was read, commit only if nothing read has changed
 * (`kv.atomic().check(...)`), else read again (bounded retries).
 *
 * Keys (KV keys are tuples; `prefix` is the tuple's head, default ['gait', 'limits']):
 *   [...prefix, counterKey]             the count (bigint), counterKey as in the state file
 *   [...prefix, 'window', window]       the window's prune record (window-record.ts)
 * Both expire after the request's ttlSeconds. countInMap prunes earlier buckets of a window on
 * every request; here that pruning is recorded once per new bucket in the window record and
 * applied when a counter is read, so requests in the current bucket never write a shared key.
 *
 * Portable: no Deno types or globals. The KV surface used is typed as KvLike below, which
 * Deno.Kv satisfies.
 */
import { countInMap } from '../limits.js';
import { LimitStoreError, withStoreTimeout, type LimitStore, type LimitCount, type LimitRequest } from './types.js';
import { isCounterPruned, parseWindowRecord, recordRequest, MAX_STACK, type WindowRecord } from './window-record.js';

export type KvKeyPart = string | number | bigint | boolean | Uint8Array;
export type KvKey = readonly KvKeyPart[];

/** The part of Deno.Kv this store uses. */
export interface KvLike {
  get(key: KvKey): Promise<{ value: unknown; versionstamp: string | null }>;
  atomic(): KvAtomicLike;
}

export interface KvAtomicLike {
  check(...checks: { key: KvKey; versionstamp: string | null }[]): KvAtomicLike;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): KvAtomicLike;
  delete(key: KvKey): KvAtomicLike;
  commit(): Promise<{ ok: boolean }>;
}

export interface DenoKvLimitStoreOptions {
  /** The head of every key this store writes (default ['gait', 'limits']). */
  prefix?: KvKey;
  /** A consume that has no answer within this many ms fails with LimitStoreError (default 2000, as gate.enforce). */
  timeoutMs?: number;
  /** Commits lost to concurrent writers (or a busy local KV file) before giving up with LimitStoreError (default 100). */
  maxRetries?: number;
  /** Names the store in errors (default `deno-kv`). */
  name?: string;
}

export const DEFAULT_KV_PREFIX: KvKey = Object.freeze(['gait', 'limits']);

interface Read {
  key: KvKey;
  value: unknown;
  versionstamp: string | null;
}

export function denoKvLimitStore(kv: KvLike, options: DenoKvLimitStoreOptions = {}): LimitStore {
  const prefix = [...(options.prefix ?? DEFAULT_KV_PREFIX)];
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxRetries = options.maxRetries ?? 100;
  const name = options.name ?? 'deno-kv';
  const counterKvKey = (counterKey: string): KvKey => [...prefix, counterKey];
  const windowKvKey = (window: string): KvKey => [...prefix, 'window', window];
  const fail = (message: string, cause?: unknown): LimitStoreError => new LimitStoreError(name, message, cause === undefined ? undefined : { cause });

  const read = async (key: KvKey): Promise<Read> => {
    const entry = await kv.get(key);
    return { key, value: entry.value, versionstamp: entry.versionstamp };
  };

  /** One optimistic attempt: the counts, or undefined when another writer got there first. */
  async function attempt(requests: readonly LimitRequest[]): Promise<LimitCount[] | undefined> {
    const windows = [...new Set(requests.map((r) => r.window))];
    const windowOf = new Map(requests.map((r) => [r.counterKey, r.window]));
    const counterKeys = [...windowOf.keys()];
    const [windowReads, counterReads] = await Promise.all([
      Promise.all(windows.map((w) => read(windowKvKey(w)))),
      Promise.all(counterKeys.map((k) => read(counterKvKey(k)))),
    ]);
    const records = new Map<string, WindowRecord>();
    windows.forEach((w, i) => {
      const r = windowReads[i]!;
      const record = parseWindowRecord(r.value, r.versionstamp);
      if (!record) throw fail(`garbled window record at ${JSON.stringify(r.key)}`);
      records.set(w, record);
    });
    // The counters as countInMap would hold them: live ones only.
    const counters = new Map<string, number>();
    counterKeys.forEach((k, i) => {
      const r = counterReads[i]!;
      if (r.versionstamp === null) return;
      const count = typeof r.value === 'bigint' ? Number(r.value) : r.value;
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw fail(`garbled counter at ${JSON.stringify(r.key)}`);
      if (!isCounterPruned(records.get(windowOf.get(k)!)!, bucketOf(k), r.versionstamp)) counters.set(k, count);
    });
    const counts = countInMap(counters, requests);

    const op = kv.atomic().check(...windowReads, ...counterReads);
    const ttlMs = (window: string): number => 1000 * Math.max(...requests.filter((r) => r.window === window).map((r) => r.ttlSeconds));
    for (const w of windows) {
      const record = records.get(w)!;
      let changed = false;
      for (const r of requests) {
        if (r.window !== w) continue;
        if (!recordRequest(record, r.bucket)) continue;
        if (record.stack.length > MAX_STACK) throw fail(`window record at ${JSON.stringify(windowKvKey(w))} holds more than ${MAX_STACK} buckets`);
        changed = true;
      }
      if (changed) op.set(windowKvKey(w), record.stack, { expireIn: ttlMs(w) });
    }
    // Counters counted are written; pruned ones are left to the window record (stamped later).
    const counted = new Set(requests.filter((_, i) => !counts[i]!.exceeded).map((r) => r.counterKey));
    for (const k of counted) {
      const count = counters.get(k);
      if (count !== undefined) op.set(counterKvKey(k), BigInt(count), { expireIn: ttlMs(windowOf.get(k)!) });
    }
    const result = await op.commit();
    return result.ok ? counts : undefined;
  }

  async function run(requests: readonly LimitRequest[], cancelled: () => boolean): Promise<LimitCount[]> {
    for (let tries = 0; tries <= maxRetries && !cancelled(); tries++) {
      let counts: LimitCount[] | undefined;
      try {
        counts = await attempt(requests);
      } catch (err) {
        if (err instanceof LimitStoreError) throw err;
        if (!isBusy(err)) throw fail(`KV failed: ${(err as Error)?.message ?? String(err)}`, err);
      }
      if (counts) return counts;
      // Lost to a concurrent writer: back off a little (jittered, growing) and read again.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** tries)));
    }
    throw fail(`gave up after ${maxRetries + 1} commits lost to concurrent writers`);
  }

  // One transaction at a time per store: consumes in one isolate would otherwise mostly conflict
  // with each other; other isolates and processes are handled by the retries.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    name,
    consume(requests: readonly LimitRequest[]): Promise<LimitCount[]> {
      if (requests.length === 0) return Promise.resolve([]);
      const turn = queue.then(() => {
        let timedOut = false;
        return withStoreTimeout(name, timeoutMs, run(requests, () => timedOut)).catch((err) => {
          timedOut = true;
          throw err;
        });
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

/**
 * A local KV file shared by several processes answers "database is locked" (SQLite's busy) when
 * another process holds the write lock: nothing was read or written, so it is a conflict to retry.
 */
function isBusy(err: unknown): boolean {
  return /database is locked/i.test(String((err as Error)?.message ?? ''));
}

/** `<window>|<scope>|<bucket>|<scope key>` → `<bucket>` (what countInMap compares; none, never pruned). */
function bucketOf(counterKey: string): string | undefined {
  return counterKey.split('|')[2];
}
