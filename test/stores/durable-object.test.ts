// The Durable Object limit store under a real `workerd serve`: the test worker
// (durable-object/worker.js) calls durableObjectLimitStore(env.LIMITS, …), which fetches the
// GaitLimits object; the tests POST requests to the worker through a small HTTP LimitStore, so
// every count goes the real path (worker → stub.fetch → SQLite transaction). Needs `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitStoreError, type LimitCount, type LimitRequest, type LimitStore } from '../../bindings/stores/types.js';
import { countInMap } from '../../bindings/limits.js';
import { limitStoreContract, request } from './contract.js';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from '../runtimes/runtimes.mjs';

const CONFIG = join(R.ROOT, 'test/stores/durable-object/config.capnp');
const SLOW = 120_000;

interface Server { url: string; stop: () => Promise<void>; log: () => string }

const storageDir = mkdtempSync(join(tmpdir(), 'gait-do-store-'));
const startServer = (): Promise<Server> => R.startWorkerd(CONFIG, 'http', { args: ['--directory-path', `do-storage=${storageDir}`] });
let server: Promise<Server> | undefined;
const running = () => (server ??= startServer());

afterAll(async () => {
  if (server) await (await server).stop();
  rmSync(storageDir, { recursive: true, force: true });
});

/** What the worker answered: its counts, or the error its store threw (as JSON). */
interface WorkerAnswer { status: number; store?: string; counts?: LimitCount[]; error?: { name: string; code: string; store: string; message: string } }

async function post(path: string, params: Record<string, string | number>, requests: readonly LimitRequest[]): Promise<WorkerAnswer> {
  const { url } = await running();
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const r = await fetch(`${url}${path}?${query}`, { method: 'POST', body: JSON.stringify({ requests }), signal: AbortSignal.timeout(20_000) });
  return { status: r.status, ...(await r.json()) };
}

let objects = 0;
/** A LimitStore that counts through the worker; each one uses an object of its own unless `name` is given. */
function httpStore(params: Record<string, string | number> = {}, path = '/consume'): LimitStore {
  const options = { name: `test-${objects++}-${Date.now()}`, ...params };
  return {
    name: `workerd ${JSON.stringify(options)}`,
    async consume(requests) {
      const a = await post(path, options, requests);
      if (a.status === 200) return a.counts!;
      if (a.error?.name === 'LimitStoreError') throw new LimitStoreError(a.error.store, a.error.message);
      throw new Error(`worker answered ${a.status}: ${JSON.stringify(a)}`);
    },
  };
}

limitStoreContract('durable object (workerd)', async () => ({ store: httpStore() }));
// Sharded, a later bucket prunes only its identity's object (and one call names one identity).
limitStoreContract('durable object sharded by identity (workerd)', async () => ({ store: httpStore({ shard: 'identity' }) }), { without: ['prunes-earlier-buckets'] });

describe('durable object limit store (workerd)', () => {
  beforeAll(async () => {
    await running();
  }, SLOW);

  it('is exact under 8 isolates × 50 concurrent evaluations against a limit of 13', async () => {
    const r = request({ requests: 13 });
    const name = `concurrent-${Date.now()}`;
    const clients = Array.from({ length: 8 }, (_, i) => httpStore({ name }, `/via/${i}/consume`));
    const results = await Promise.all(clients.flatMap((c) => Array.from({ length: 50 }, () => c.consume([r]))));
    const allowed = results.filter((x) => !x[0]!.exceeded).map((x) => x[0]!.used).sort((a, b) => a - b);
    expect(allowed).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(results.filter((x) => x[0]!.exceeded).every((x) => x[0]!.used === 13)).toBe(true);
    expect(results.length).toBe(400);
  }, SLOW);

  it('gives countInMap\'s answers for 300 random request lists (buckets, windows, shared counters)', async () => {
    let seed = 11;
    // An LCG; its low bits repeat in short cycles, so draw from the high ones.
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), (seed >>> 16) % n);
    const buckets = ['2026-12-03T10:00:00Z', '2026-12-03T10:01:00Z', '2026-12-03T10:02:00Z'];
    const pick = (): LimitRequest => {
      const window = ['minute', 'hour'][rand(2)]!;
      const bucket = buckets[rand(3)]!;
      const key = `tool.${rand(3)}|${['alice', 'bob'][rand(2)]}`;
      return request({ window, bucket, key, counterKey: `${window}|tool_identity|${bucket}|${key}`, requests: rand(4), ttlSeconds: 600 });
    };
    const store = httpStore();
    const reference = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const list = Array.from({ length: 1 + rand(2) }, pick);
      if (list.length === 2 && rand(2) === 0) list[1] = { ...list[0]!, limit_kind: 'destructive_budget', requests: rand(4) };
      const expected = countInMap(reference, list);
      expect(await store.consume(list), `call ${i}: ${JSON.stringify(list)}`).toEqual(expected);
    }
  }, SLOW);

  it('forgets a counter ttlSeconds after it was last counted', async () => {
    const store = httpStore();
    const r = request({ requests: 1, ttlSeconds: 1 });
    expect(await store.consume([r])).toEqual([{ used: 1, exceeded: false }]);
    expect(await store.consume([r])).toEqual([{ used: 1, exceeded: true }]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await store.consume([r])).toEqual([{ used: 1, exceeded: false }]);
  }, SLOW);

  it('keeps its counts when workerd restarts (they are in the object\'s storage)', async () => {
    const store = httpStore({ name: `restart-${Date.now()}` });
    const r = request({ requests: 5 });
    await store.consume([r]);
    await store.consume([r]);
    const old = server;
    server = undefined;
    await (await old!).stop();
    expect(await store.consume([r])).toEqual([{ used: 3, exceeded: false }]);
  }, SLOW);

  it('deletes expired counters with an alarm, with no request to trigger it', async () => {
    const name = `expiry-${Date.now()}`;
    const store = httpStore({ binding: 'INSPECT', name });
    const short = request({ ttlSeconds: 1 });
    const long = request({ ttlSeconds: 600 });
    await store.consume([short, long]);
    const rows = async () => (await (await fetch(`${(await running()).url}/rows?name=${name}`)).json()) as { rows: { key: string }[]; alarm: number | null };
    expect((await rows()).rows.map((r) => r.key).sort()).toEqual([short.counterKey, long.counterKey].sort());
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const after = await rows();
    expect(after.rows).toEqual([{ key: long.counterKey, count: 1 }]);
    expect(after.alarm).toBeGreaterThan(Date.now() + 590_000); // set for the remaining counter
  }, SLOW);

  it('prunes earlier buckets of a window when it counts, and only of that window', async () => {
    const name = `prune-${Date.now()}`;
    const store = httpStore({ binding: 'INSPECT', name });
    const old = request({ bucket: '2026-12-03T09:59:00Z', counterKey: 'minute|tool_identity|2026-12-03T09:59:00Z|t|a' });
    const hour = request({ window: 'hour', bucket: '2026-12-03T09:00:00Z', counterKey: 'hour|tool_identity|2026-12-03T09:00:00Z|t|a' });
    await store.consume([old, hour]);
    const current = request({ bucket: '2026-12-03T10:00:00Z' });
    await store.consume([current]);
    const { rows } = (await (await fetch(`${(await running()).url}/rows?name=${name}`)).json()) as { rows: { key: string }[] };
    expect(rows.map((r) => r.key).sort()).toEqual([current.counterKey, hour.counterKey].sort());
  }, SLOW);

  it('stopped mid-run: every answer was a real count, and none is lost after a restart', async () => {
    const store = httpStore({ name: `stop-${Date.now()}` });
    const r = request({ requests: 100_000 });
    await store.consume([r]);
    // 300 evaluations in flight; workerd is stopped once 30 of them have been answered.
    let answeredSoFar = 0;
    let thirty!: () => void;
    const reachedThirty = new Promise<void>((resolve) => (thirty = resolve));
    const pending = Array.from({ length: 300 }, () => Promise.resolve(store.consume([r])).then(
      (c) => {
        if (++answeredSoFar === 30) thirty();
        return c[0]!.used;
      },
      () => undefined,
    ));
    await Promise.race([reachedThirty, Promise.all(pending)]);
    const old = server;
    server = undefined;
    await (await old!).stop();
    const answered = (await Promise.all(pending)).filter((u): u is number => u !== undefined);
    expect(answered.length).toBeGreaterThanOrEqual(30);
    expect(new Set(answered).size).toBe(answered.length);
    expect(answered.every((u) => u >= 2 && u <= 301)).toBe(true);
    const [after] = await store.consume([r]); // starts workerd again on the same storage
    expect(after!.used).toBeGreaterThan(Math.max(1, ...answered));
    console.log(`stopped mid-run: ${answered.length} of 300 answered before the stop; the next count was ${after!.used}`);
  }, SLOW);

  describe('fails with LimitStoreError naming the store, never with counts', () => {
    const cases: [string, Record<string, string | number>, RegExp, Partial<LimitRequest>?][] = [
      ['the namespace is missing', { binding: 'NOT_BOUND' }, /no Durable Object namespace/],
      ['the object is not SQLite-backed', { binding: 'KV_LIMITS' }, /HTTP 500: .*GaitLimits: SQL is not enabled/],
      ['the object throws', { binding: 'THROWING' }, /the object broke/],
      ['the object is slow', { binding: 'SLOW', timeoutMs: 300 }, /no answer within 300 ms/],
      ['the answer is not JSON', { binding: 'GARBLED' }, /garbled answer: not JSON/, { key: 'not-json|a' }],
      ['the answer has too few counts', { binding: 'GARBLED' }, /garbled answer: expected one count per request/, { key: 'too-few|a' }],
      ['the answer counts beyond the limit', { binding: 'GARBLED' }, /garbled answer: count 0 is \{"used":4,"exceeded":false\}/, { key: 'over-limit|a' }],
      ['the answer has the wrong types', { binding: 'GARBLED' }, /garbled answer: count 0/, { key: 'types|a' }],
      ['GaitLimits refuses a bad request', {}, /HTTP 400: .*requests\[0\]\.requests must be a whole number/, { requests: -1 }],
      ['GaitLimits refuses a request without a counter key', {}, /HTTP 400: .*requests\[0\]\.counterKey/, { counterKey: '' }],
      // SQLite would store a lone surrogate as U+FFFD: two keys would share one counter.
      ['GaitLimits refuses a key that is not well-formed UTF-16', {}, /HTTP 400: .*requests\[0\]\.counterKey must be a non-empty, well-formed string/, { counterKey: 'minute|tool_identity|2026-12-03T10:00:00Z|t|\ud800' }],
      ['shard: identity meets a tool-scoped counter', { shard: 'identity' }, /cannot hold a counter of scope "tool"/, { scope: 'tool', key: 'tool.x' }],
    ];
    for (const [what, params, message, over] of cases) {
      it(what, async () => {
        const opts = { name: `fail-${objects++}`, ...params };
        const a = await post('/consume', opts, [request({ requests: 3, ...over })]);
        expect(a.status, JSON.stringify(a)).toBe(503);
        expect(a.counts).toBeUndefined();
        expect(a.error).toMatchObject({ name: 'LimitStoreError', code: 'limit_store_unavailable' });
        expect(a.error!.message).toMatch(/^limit store durable-object gait:limits:/);
        expect(a.error!.message).toMatch(message);
      }, SLOW);
    }

    it('shard: identity refuses one call naming two identities', async () => {
      const a = await post('/consume', { shard: 'identity' }, [request({ key: 't|alice' }), request({ key: 't|bob' })]);
      expect(a.status).toBe(503);
      expect(a.error!.message).toMatch(/^limit store durable-object gait:limits:identity:\*: .*same identity/);
    }, SLOW);
  });
});
