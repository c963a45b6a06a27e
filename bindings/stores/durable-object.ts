/**
 * The Durable Object limit store (Cloudflare Workers, workerd): counters live in a GaitLimits
 * object (durable-object-class.ts), which applies countInMap's semantics in one storage
 * transaction per call. A Durable Object runs one instance worldwide, so counts are exact across
 * every isolate and location that calls it.
 *
 * Sharding: by default all counters live in one object (`<prefix><name>`). With
 * `shard: 'identity'` each identity gets its own object (`<prefix>identity:<identity>`): the
 * requests of one evaluation all name the same identity, so they stay in one object and stay
 * atomic. Tool-scoped limits (`scope: tool`) count across identities and cannot be sharded that
 * way: such requests are refused (LimitStoreError) rather than counted per identity.
 */
import { LimitStoreError, withStoreTimeout, type LimitCount, type LimitRequest, type LimitStore } from './types.js';

/** The parts of a workerd DurableObjectNamespace binding this store uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

export interface DurableObjectLimitStoreOptions {
  /** The object's name when not sharded (default `default`). */
  name?: string;
  /** Object names start with this (default `gait:limits:`): separate prefixes, separate counters. */
  prefix?: string;
  /** `none` (default): one object; `identity`: one object per identity (see above). */
  shard?: 'none' | 'identity';
  /** Longer than this without an answer fails with LimitStoreError (default 2000 ms). */
  timeoutMs?: number;
}

export const DEFAULT_DURABLE_OBJECT_TIMEOUT_MS = 2000;

/** The identity a request's scope key ends with (`<tool>|<identity>` or `<identity>`). */
function identityOf(store: string, r: LimitRequest): string {
  if (r.scope !== 'identity' && r.scope !== 'tool_identity') {
    throw new LimitStoreError(store, `shard: 'identity' cannot hold a counter of scope ${JSON.stringify(r.scope)} (it counts across identities); use shard: 'none'`);
  }
  return r.key.slice(r.key.lastIndexOf('|') + 1);
}

/** The store's counts, checked against the requests: a reply that cannot be right is garbled. */
function checkedCounts(store: string, body: unknown, requests: readonly LimitRequest[]): LimitCount[] {
  const counts = (body as { counts?: unknown } | null)?.counts;
  if (!Array.isArray(counts) || counts.length !== requests.length) throw new LimitStoreError(store, 'garbled answer: expected one count per request');
  return counts.map((c: { used?: unknown; exceeded?: unknown } | null, i) => {
    const used = c?.used;
    const exceeded = c?.exceeded;
    const limit = requests[i]!.requests;
    const plausible = typeof used === 'number' && Number.isSafeInteger(used) && typeof exceeded === 'boolean' && (exceeded ? used >= limit : used >= 1 && used <= limit);
    if (!plausible) throw new LimitStoreError(store, `garbled answer: count ${i} is ${JSON.stringify(c)}`);
    return { used, exceeded };
  });
}

export function durableObjectLimitStore(namespace: DurableObjectNamespaceLike | undefined, options: DurableObjectLimitStoreOptions = {}): LimitStore {
  const prefix = options.prefix ?? 'gait:limits:';
  const shard = options.shard ?? 'none';
  const timeoutMs = options.timeoutMs ?? DEFAULT_DURABLE_OBJECT_TIMEOUT_MS;
  const name = `durable-object ${prefix}${shard === 'identity' ? 'identity:*' : (options.name ?? 'default')}`;

  function objectName(requests: readonly LimitRequest[]): string {
    if (shard !== 'identity') return `${prefix}${options.name ?? 'default'}`;
    const identities = new Set(requests.map((r) => identityOf(name, r)));
    if (identities.size !== 1) throw new LimitStoreError(name, 'shard: \'identity\' needs all requests of one call to name the same identity');
    return `${prefix}identity:${[...identities][0]}`;
  }

  async function ask(requests: readonly LimitRequest[]): Promise<LimitCount[]> {
    const ns = namespace!;
    const stub = ns.get(ns.idFromName(objectName(requests)) as never);
    const response = await stub.fetch('https://gait-limits/consume', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new LimitStoreError(name, `HTTP ${response.status}: ${text.slice(0, 300)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new LimitStoreError(name, 'garbled answer: not JSON');
    }
    return checkedCounts(name, body, requests);
  }

  return {
    name,
    async consume(requests: readonly LimitRequest[]): Promise<LimitCount[]> {
      if (!namespace || typeof namespace.idFromName !== 'function' || typeof namespace.get !== 'function') {
        throw new LimitStoreError(name, 'no Durable Object namespace: bind GaitLimits (durableObjectNamespaces + a durableObjectNamespace binding) and pass env.<BINDING>');
      }
      if (requests.length === 0) return [];
      try {
        return await withStoreTimeout(name, timeoutMs, ask(requests));
      } catch (err) {
        if (err instanceof LimitStoreError) throw err;
        throw new LimitStoreError(name, (err as Error)?.message ?? String(err), { cause: err });
      }
    },
  };
}
