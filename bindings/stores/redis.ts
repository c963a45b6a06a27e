/**
 * The Redis / Valkey limit store: counters shared by every process and machine that reaches one
 * server. Each `consume` is one Lua script (EVALSHA, EVAL when the server lacks it), which Redis
 * runs atomically, so concurrent evaluations anywhere never lose or over-grant a count.
 *
 * The store only needs "run a script" from a connection (RedisEval), so it takes a URL (it then
 * opens and owns a node-redis connection: `@redis/client`, Redis Inc.'s maintained client, with no
 * dependencies of its own, loaded only when a URL is given), an existing node-redis client, or an
 * RedisEval function over any other client (ioredis: `(cmd, s, keys, args) => c.call(cmd, s,
 * keys.length, ...keys, ...args)`). Portable across Node, Bun and Deno (`npm:` specifiers): no
 * `node:` import here; the client brings its own sockets.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { LimitStoreError, withStoreTimeout, type LimitStore, type LimitCount, type LimitRequest } from './types.js';

/** Runs `EVAL script` or `EVALSHA sha1` with these keys and arguments; rejects with the server's error. */
export type RedisEval = (command: 'EVAL' | 'EVALSHA', scriptOrSha1: string, keys: string[], args: string[]) => Promise<unknown>;

/** The part of a node-redis client (v4 and later) the store uses. */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
  evalSha: unknown;
}

export interface RedisLimitStoreOptions {
  /** Prepended to each request's counterKey (default `gait:limits:`). */
  prefix?: string;
  /** A consume (connecting included) that takes longer fails with LimitStoreError (default 2000 ms). */
  timeoutMs?: number;
  /** Names the store in errors (default: the URL without credentials, or `redis`). */
  name?: string;
}

export type RedisLimitStore = LimitStore & {
  /** Closes the connection the store opened from a URL (a client you passed stays yours to close). */
  close(): Promise<void>;
};

export const DEFAULT_REDIS_PREFIX = 'gait:limits:';
export const DEFAULT_REDIS_TIMEOUT_MS = 2000;

/**
 * countInMap (limits.ts) over Redis keys, one request after another in one atomic script:
 * KEYS[i] is request i's counter, ARGV[2i-1] its limit and ARGV[2i] its TTL in seconds. A counter
 * is counted (INCR, then EXPIRE) while below the limit; a refused request touches nothing. A
 * counter that is not a plain count (another type, or text) fails the whole script before it
 * writes: the store then answers nothing rather than a guess.
 *
 * Unlike countInMap, nothing prunes earlier buckets: a counter key holds its bucket, so a later
 * bucket never reads an earlier one, and the TTL (two windows) removes it. The only difference
 * is stricter: an evaluation time that goes back to an earlier bucket (clock skew between
 * processes) finds that bucket's count instead of a pruned, empty one.
 */
export const CONSUME_SCRIPT = `
for i = 1, #KEYS do
  local raw = redis.call('GET', KEYS[i])
  if raw and not (string.match(raw, '^%d+$') and #raw <= 15) then
    return redis.error_reply('GAIT_GARBLED counter ' .. KEYS[i] .. ' is not a count')
  end
end
local out = {}
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i - 1])
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used >= limit then
    out[i] = {used, 1}
  else
    used = redis.call('INCR', KEYS[i])
    redis.call('EXPIRE', KEYS[i], ARGV[2 * i])
    out[i] = {used, 0}
  end
end
return out
`;
const CONSUME_SHA1 = bytesToHex(sha1(new TextEncoder().encode(CONSUME_SCRIPT)));

/** A connection the store opened itself (from a URL): `ready` once connected; `destroy` at any time. */
interface OwnedConnection {
  ready: Promise<RedisEval>;
  destroy(): void;
  close(): Promise<void>;
}

export function redisLimitStore(target: string | URL | NodeRedisClientLike | RedisEval, options: RedisLimitStoreOptions = {}): RedisLimitStore {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  const url = typeof target === 'string' || target instanceof URL ? parseRedisUrl(target) : undefined;
  const name = options.name ?? (url ? redactedUrl(url) : 'redis');
  const given: RedisEval | undefined = url ? undefined : typeof target === 'function' ? target : nodeRedisEval(target as NodeRedisClientLike, name);

  let owned: OwnedConnection | undefined;
  // After a timeout or a broken socket a connection's state is unknown: drop it (even while it
  // is still connecting, which a paused server can make last for ever), and the next consume
  // connects afresh: one attempt per consume, never a reconnect loop.
  const drop = (conn: OwnedConnection): void => {
    conn.destroy();
    if (owned === conn) owned = undefined;
  };

  const run = async (evalScript: RedisEval | Promise<RedisEval>, requests: readonly LimitRequest[]): Promise<LimitCount[]> => {
    const evaluate = await evalScript;
    const keys = requests.map((r) => prefix + r.counterKey);
    const args = requests.flatMap((r) => [String(r.requests), String(Math.max(1, Math.ceil(r.ttlSeconds)))]);
    let reply: unknown;
    try {
      reply = await evaluate('EVALSHA', CONSUME_SHA1, keys, args);
    } catch (err) {
      if (!/^NOSCRIPT\b/.test(errorMessage(err))) throw err;
      reply = await evaluate('EVAL', CONSUME_SCRIPT, keys, args);
    }
    return parseCounts(name, reply, requests);
  };

  return {
    name,
    async consume(requests: readonly LimitRequest[]): Promise<LimitCount[]> {
      if (requests.length === 0) return [];
      const conn = url ? (owned ??= openConnection(url, timeoutMs)) : undefined;
      try {
        return await withStoreTimeout(name, timeoutMs, run(conn ? conn.ready : given!, requests));
      } catch (err) {
        if (conn && !isServerReply(err)) drop(conn);
        if (err instanceof LimitStoreError) throw err;
        throw new LimitStoreError(name, errorMessage(err), { cause: err });
      }
    },
    async close(): Promise<void> {
      const o = owned;
      owned = undefined;
      await o?.close();
    },
  };
}

/** `redis://` or `rediss://` (TLS), else a LimitStoreError: the store never guesses a server. */
export function parseRedisUrl(target: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(target));
  } catch {
    throw new LimitStoreError('redis', `not a URL: ${JSON.stringify(String(target))}`);
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new LimitStoreError('redis', `expected a redis:// or rediss:// URL with a host, got ${JSON.stringify(redactedUrl(url))}`);
  }
  if (!/^\/?\d*$/.test(url.pathname)) throw new LimitStoreError('redis', `the URL's path must be a database number, got ${JSON.stringify(url.pathname)}`);
  return url;
}

function redactedUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

function nodeRedisEval(client: NodeRedisClientLike, name: string): RedisEval {
  if (!client || typeof client.sendCommand !== 'function') {
    throw new LimitStoreError(name, 'expected a redis:// URL, a node-redis client or a RedisEval function');
  }
  return (command, script, keys, args) => client.sendCommand([command, script, String(keys.length), ...keys, ...args]);
}

/**
 * Opens a node-redis connection that gives up instead of retrying: no reconnect loop, no offline
 * queue. Its connect timeout does not cover the handshake (SELECT): the store's timeout and
 * `destroy` do.
 */
function openConnection(url: URL, timeoutMs: number): OwnedConnection {
  type Client = ReturnType<typeof import('@redis/client').createClient>;
  let client: Client | undefined;
  let destroyed = false;
  const destroy = (): void => {
    destroyed = true;
    if (client?.isOpen) client.destroy();
  };
  const ready = (async (): Promise<RedisEval> => {
    // An optional peer dependency: only a redis:// URL needs it.
    const { createClient } = await import('@redis/client').catch((err: unknown) => {
      throw new Error(`a redis:// URL needs the optional package @redis/client: npm install @redis/client, or pass a client of your own (${errorMessage(err)})`, { cause: err });
    });
    if (destroyed) throw new Error('connection closed');
    const c = (client = createClient({
      url: url.href,
      socket: { connectTimeout: timeoutMs, reconnectStrategy: false },
      disableOfflineQueue: true,
      // Redis Enterprise's maintenance hand-off relaxes timeouts: ours stays the one in force.
      maintNotifications: 'disabled',
    }));
    // A broken connection is reported by the command that meets it; an unhandled 'error' event
    // would end the process instead.
    c.on('error', () => undefined);
    await c.connect();
    return (command, script, keys, args) => c.sendCommand([command, script, String(keys.length), ...keys, ...args]);
  })();
  ready.catch(destroy);
  return {
    ready,
    destroy,
    close: async () => {
      if (client?.isReady) await client.close();
      else destroy();
    },
  };
}

/** The script's reply, checked: one `[used, 0|1]` per request, consistent with its limit. */
function parseCounts(name: string, reply: unknown, requests: readonly LimitRequest[]): LimitCount[] {
  const garbled = (why: string): LimitStoreError => new LimitStoreError(name, `garbled reply (${why})`);
  if (!Array.isArray(reply) || reply.length !== requests.length) throw garbled(`expected ${requests.length} counts`);
  return reply.map((item: unknown, i) => {
    const r = requests[i]!;
    if (!Array.isArray(item) || item.length !== 2) throw garbled(`count ${i} is not a pair`);
    const [used, flag] = item as unknown[];
    if (typeof used !== 'number' || !Number.isSafeInteger(used) || (flag !== 0 && flag !== 1)) throw garbled(`count ${i} is not [integer, 0|1]`);
    const exceeded = flag === 1;
    if (exceeded ? used < r.requests : used < 1 || used > r.requests) throw garbled(`count ${i} (${used}) does not fit the limit ${r.requests}`);
    return { used, exceeded };
  });
}

/** An error reply from the server (the connection itself is fine). */
function isServerReply(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ErrorReply' || err.constructor?.name === 'ErrorReply' || err.name === 'ReplyError');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
