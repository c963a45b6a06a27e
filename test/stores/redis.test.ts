// The Redis limit store against a real redis-server (started here on a free loopback port, no
// persistence): the shared contract, its keys and TTLs, the EVAL fallback, and failing closed
// when the server is garbled, gone or too slow.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisLimitStore, CONSUME_SCRIPT, type RedisEval } from '../../bindings/stores/redis.js';
import { LimitStoreError } from '../../bindings/stores/types.js';
import { limitStoreContract, request } from './contract.js';
import { HAVE_REDIS, startTestRedis, type TestRedis } from './redis-server.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let server: TestRedis | undefined;
const redis = async (): Promise<TestRedis> => (server ??= await startTestRedis());
afterAll(async () => {
  await server?.dispose();
});

/** A plain client to look at (and spoil) what the store wrote. */
async function inspect<T>(url: string, work: (c: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const c = createClient({ url, socket: { reconnectStrategy: false } });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await work(c);
  } finally {
    c.destroy();
  }
}

/** Connects a store (retrying: a loaded machine may miss a short timeout while connecting). */
async function warm(store: { consume: (r: ReturnType<typeof request>[]) => unknown }): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await store.consume([request()]);
      return;
    } catch (err) {
      if (i === 10) throw err;
    }
  }
}

async function rejection(p: Promise<unknown>): Promise<LimitStoreError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(LimitStoreError);
  return err as LimitStoreError;
}

describe.skipIf(!HAVE_REDIS)('redis limit store', () => {
  limitStoreContract('redis', async () => {
    // A generous timeout: the contract is about counts, and a loaded machine is slow to connect.
    const store = redisLimitStore((await redis()).url, { timeoutMs: 10_000 });
    return { store, close: () => store.close() };
  }, { without: ['prunes-earlier-buckets'] });

  it('keeps an earlier bucket\'s count after a later bucket (TTL expiry, no pruning: stricter than the state file when time goes back)', async () => {
    const store = redisLimitStore((await redis()).url, { timeoutMs: 10_000 });
    try {
      const key = request().key;
      const at = (bucket: string) => request({ requests: 5, key, bucket, counterKey: `minute|tool_identity|${bucket}|${key}` });
      const seen = [];
      for (const r of [at('2026-12-03T10:00:00Z'), at('2026-12-03T10:00:00Z'), at('2026-12-03T10:01:00Z'), at('2026-12-03T10:00:00Z')]) {
        seen.push((await store.consume([r]))[0]!.used);
      }
      expect(seen).toEqual([1, 2, 1, 3]);
    } finally {
      await store.close();
    }
  });

  it('keeps each counter at <prefix><counterKey> and expires it after ttlSeconds', async () => {
    const { url } = await redis();
    const store = redisLimitStore(url, { prefix: 'test:prefix:' });
    try {
      expect(store.name).toBe(url);
      const r = request({ ttlSeconds: 90 });
      expect(await store.consume([r])).toEqual([{ used: 1, exceeded: false }]);
      const [value, ttl] = await inspect(url, async (c) => [await c.get(`test:prefix:${r.counterKey}`), await c.pTTL(`test:prefix:${r.counterKey}`)]);
      expect(value).toBe('1');
      expect(ttl).toBeGreaterThan(85_000);
      expect(ttl).toBeLessThanOrEqual(90_000);
      const def = redisLimitStore(url);
      await def.consume([r]);
      expect(await inspect(url, (c) => c.get(`gait:limits:${r.counterKey}`))).toBe('1');
      await def.close();
    } finally {
      await store.close();
    }
  });

  it('falls back to EVAL when the server has no script (NOSCRIPT), then uses EVALSHA again', async () => {
    const { url } = await redis();
    const seen: string[] = [];
    await inspect(url, async (c) => {
      await c.sendCommand(['SCRIPT', 'FLUSH']);
      const run: RedisEval = (command, script, keys, args) => {
        seen.push(command);
        return c.sendCommand([command, script, String(keys.length), ...keys, ...args]);
      };
      const store = redisLimitStore(run);
      const r = request({ requests: 5 });
      expect(await store.consume([r])).toEqual([{ used: 1, exceeded: false }]);
      expect(await store.consume([r])).toEqual([{ used: 2, exceeded: false }]);
    });
    expect(seen).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
  });

  it('uses an existing node-redis client and leaves it open', async () => {
    const { url } = await redis();
    await inspect(url, async (c) => {
      const store = redisLimitStore(c, { name: 'shared redis' });
      const r = request({ requests: 1 });
      expect(await store.consume([r])).toEqual([{ used: 1, exceeded: false }]);
      expect(await store.consume([r])).toEqual([{ used: 1, exceeded: true }]);
      await store.close();
      expect(c.isOpen).toBe(true);
      expect(await c.get(`gait:limits:${r.counterKey}`)).toBe('1');
    });
  });

  it('refuses a URL that is not redis:// or rediss://', () => {
    for (const bad of ['http://127.0.0.1:6379', 'not a url', 'redis://', 'redis://host/db0']) {
      expect(() => redisLimitStore(bad), bad).toThrow(LimitStoreError);
    }
    expect(redisLimitStore('rediss://user:secret@cache.internal:6380/2').name).toBe('rediss://user:***@cache.internal:6380/2');
  });

  describe('fails closed', () => {
    it('on a counter that holds text, or another type, without counting anything', async () => {
      const { url } = await redis();
      const store = redisLimitStore(url);
      try {
        const ok = request();
        const text = request();
        const hash = request();
        await inspect(url, async (c) => {
          await c.set(`gait:limits:${text.counterKey}`, 'twelve');
          await c.hSet(`gait:limits:${hash.counterKey}`, 'n', '1');
        });
        expect((await rejection(store.consume([ok, text]))).message).toMatch(/^limit store redis:\/\/127\.0\.0\.1:\d+\/0: .*is not a count/);
        await rejection(store.consume([ok, hash]));
        expect(await inspect(url, (c) => c.exists(`gait:limits:${ok.counterKey}`))).toBe(0);
        // The connection stays usable.
        expect(await store.consume([ok])).toEqual([{ used: 1, exceeded: false }]);
      } finally {
        await store.close();
      }
    });

    it('on a reply that is not one [used, 0|1] per request, or does not fit the limit', async () => {
      const replies: unknown[] = ['OK', [], [[1, 0], [1, 0]], [['1', 0]], [[1, 2]], [[4, 0]], [[0, 0]], [[2, 1]], null];
      for (const reply of replies) {
        const store = redisLimitStore(async () => reply, { name: 'fake' });
        const err = await rejection(Promise.resolve(store.consume([request({ requests: 3 })])));
        expect(err.message, JSON.stringify(reply)).toMatch(/^limit store fake: garbled reply/);
      }
    });

    it('when nothing listens, quickly', async () => {
      const { port } = await redis();
      const store = redisLimitStore(`redis://127.0.0.1:${port + 1 === 65536 ? 1 : port + 1}/0`, { timeoutMs: 3000 });
      const started = Date.now();
      await rejection(store.consume([request()]));
      expect(Date.now() - started).toBeLessThan(3000);
      await store.close();
    });

    it('when the server stops mid-run, and counts again once it is back', async () => {
      const s = await redis();
      const store = redisLimitStore(s.url, { timeoutMs: 1000 });
      try {
        await warm(store);
        const r = request({ requests: 10 });
        expect(await store.consume([r])).toEqual([{ used: 1, exceeded: false }]);
        await s.stop();
        const started = Date.now();
        const err = await rejection(store.consume([r]));
        expect(err.message).toContain(s.url);
        await rejection(store.consume([r]));
        expect(Date.now() - started).toBeLessThan(5000);
        await s.start();
        // No persistence: the restarted server starts from zero.
        expect(await store.consume([r])).toEqual([{ used: 1, exceeded: false }]);
      } finally {
        await store.close();
      }
    });

    it('when the server is too slow (paused), via the timeout', async () => {
      const s = await redis();
      const store = redisLimitStore(s.url, { timeoutMs: 1000 });
      const r = request();
      try {
        await warm(store);
        s.pause();
        const started = Date.now();
        const err = await rejection(store.consume([r]));
        expect(err.message).toMatch(/no answer within 1000 ms/);
        expect(Date.now() - started).toBeLessThan(3000);
        // Connecting to a paused server times out too.
        const fresh = redisLimitStore(s.url, { timeoutMs: 1000 });
        await rejection(fresh.consume([r]));
        await fresh.close();
      } finally {
        s.resume();
      }
      // The timed-out script was already on the wire: the server may run it on waking. A timeout
      // may thus cost a count it reported as an error, never grant one it did not count.
      const [after] = await store.consume([r]);
      expect(after!.exceeded).toBe(false);
      expect([1, 2]).toContain(after!.used);
      await store.close();
    });

    it('when a script runs long (DEBUG SLEEP), via the timeout', async () => {
      const s = await redis();
      const store = redisLimitStore(s.url, { timeoutMs: 1000 });
      try {
        await warm(store);
        await inspect(s.url, async (c) => {
          // The sleep is sent (connected client) before the consume queues behind it.
          const sleeping = c.sendCommand(['DEBUG', 'SLEEP', '3']);
          await new Promise((r) => setTimeout(r, 100));
          const err = await rejection(store.consume([request()]));
          expect(err.message).toMatch(/no answer within 1000 ms/);
          await sleeping;
        });
      } finally {
        await store.close();
      }
    });

    it('and a process whose server went away still exits by itself (no reconnect loop)', async () => {
      const s = await redis();
      const probe = `
        const { redisLimitStore } = await import(${JSON.stringify(pathToFileURL(REPO + 'dist/stores/redis.js').href)});
        const store = redisLimitStore(process.argv[1], { timeoutMs: 10000 });
        const r = { limit_kind: 'rate_limit', scope: 's', key: 'k', window: 'minute', windowPrefix: 'minute|', bucket: 'b', requests: 5, ttlSeconds: 120, counterKey: 'exit-probe' };
        console.log(JSON.stringify(await store.consume([r])));
        process.stdin.once('data', async () => {
          try { await store.consume([r]); console.log('allowed'); } catch (e) { console.log(e.name); }
        });
      `;
      const child = spawn(process.execPath, ['--input-type=module', '-e', probe, s.url], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => void (out += d));
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      while (!out.includes('\n')) await new Promise((r) => setTimeout(r, 20));
      expect(out).toBe('[{"used":1,"exceeded":false}]\n');
      await s.stop();
      child.stdin.end('go\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      expect(await exited).toBe(0);
      clearTimeout(timer);
      expect(out.split('\n')[1]).toBe('LimitStoreError');
      await s.start();
    });
  });

  it('and a process that meets a paused server on connecting still exits by itself', async () => {
    const s = await redis();
    const probe = `
      const { redisLimitStore } = await import(${JSON.stringify(pathToFileURL(REPO + 'dist/stores/redis.js').href)});
      const store = redisLimitStore(process.argv[1], { timeoutMs: 300 });
      const r = { limit_kind: 'rate_limit', scope: 's', key: 'k', window: 'minute', windowPrefix: 'minute|', bucket: 'b', requests: 5, ttlSeconds: 120, counterKey: 'exit-probe-paused' };
      try { await store.consume([r]); console.log('allowed'); } catch (e) { console.log(e.name); }
    `;
    s.pause();
    try {
      const started = Date.now();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe, s.url], { encoding: 'utf8', timeout: 15_000 });
      expect(r.stdout, r.stderr).toBe('LimitStoreError\n');
      expect(r.status).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      s.resume();
    }
  });

  it('is exact across 8 processes x 50 concurrent consumes against a limit of 37', async () => {
    const { url } = await redis();
    const module = pathToFileURL(REPO + 'dist/stores/redis.js').href;
    expect(existsSync(fileURLToPath(module)), 'run `npm run build` first').toBe(true);
    const counterKey = `minute|tool_identity|2026-12-03T10:00:00Z|procs-${Date.now()}|alice`;
    const runs = Array.from({ length: 8 }, () => new Promise<{ used: number; exceeded: boolean }[]>((resolve, reject) => {
      const child = spawn(process.execPath, [fileURLToPath(new URL('./redis-consumer.mjs', import.meta.url)), module, url, counterKey, '37', '50'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => void (out += d));
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`consumer exited ${code}`))));
    }));
    const counts = (await Promise.all(runs)).flat();
    expect(counts).toHaveLength(400);
    const allowed = counts.filter((c) => !c.exceeded).map((c) => c.used).sort((a, b) => a - b);
    expect(allowed).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
    expect(counts.filter((c) => c.exceeded).every((c) => c.used === 37)).toBe(true);
    expect(await inspect(url, (c) => c.get(`gait:limits:${counterKey}`))).toBe('37');
  }, 60_000);

  it('runs the script text it hashes (CONSUME_SCRIPT is what the server caches)', async () => {
    const { url } = await redis();
    const sha = await inspect(url, (c) => c.sendCommand(['SCRIPT', 'LOAD', CONSUME_SCRIPT]));
    const seen: string[] = [];
    await inspect(url, async (c) => {
      const store = redisLimitStore((command, script, keys, args) => {
        seen.push(script);
        return c.sendCommand([command, script, String(keys.length), ...keys, ...args]);
      });
      await store.consume([request()]);
    });
    expect(seen).toEqual([sha]);
  });
});
