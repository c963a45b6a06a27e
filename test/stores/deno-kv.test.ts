// The Deno KV store on the in-memory KvLike (fake-kv.ts): the contract, countInMap's semantics
// on random request sequences, and failing closed. deno-kv-deno.test.ts runs it on real Deno KV.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { denoKvLimitStore } from '../../bindings/stores/deno-kv.js';
import { LimitStoreError } from '../../bindings/stores/types.js';
import { countInMap } from '../../bindings/limits.js';
import { limitStoreContract, request } from './contract.js';
import { FakeKv } from './fake-kv.js';

limitStoreContract('deno-kv (in-memory KvLike)', async () => ({ store: denoKvLimitStore(new FakeKv()) }));

const BUCKETS = ['2026-12-03T10:00:00Z', '2026-12-03T10:01:00Z', '2026-12-03T10:02:00Z'];
const KEYS = ['t|a', 't|b'];
const arbRequest = fc.record({ window: fc.constantFrom('minute', 'hour'), bucket: fc.constantFrom(...BUCKETS), key: fc.constantFrom(...KEYS), requests: fc.integer({ min: 1, max: 3 }) })
  .map(({ window, bucket, key, requests }) => request({ window, bucket, key, requests, counterKey: `${window}|tool_identity|${bucket}|${key}` }));

describe('deno-kv limit store', () => {
  it('answers exactly as countInMap on random sequences (buckets going back and forth, shared counters)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(arbRequest, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), async (batches) => {
        const reference = new Map<string, number>();
        const store = denoKvLimitStore(new FakeKv());
        for (const batch of batches) expect(await store.consume(batch)).toEqual(countInMap(reference, batch));
      }),
      { numRuns: 200 },
    );
  });

  it('keys counters [...prefix, counterKey] as bigints that expire after ttlSeconds, and records the window', async () => {
    const kv = new FakeKv();
    const store = denoKvLimitStore(kv, { prefix: ['app', 'gate'] });
    const r = request({ ttlSeconds: 120 });
    await store.consume([r, r]);
    expect(kv.entry(['app', 'gate', r.counterKey])).toMatchObject({ value: 2n, expireIn: 120_000 });
    expect(kv.entry(['app', 'gate', 'window', 'minute'])).toMatchObject({ value: [[r.bucket, null]], expireIn: 120_000 });
    expect(denoKvLimitStore(kv).name).toBe('deno-kv');
  });

  it('writes only the counter, not the window record, for requests in the current bucket', async () => {
    const kv = new FakeKv();
    const store = denoKvLimitStore(kv);
    await store.consume([request()]);
    const record = kv.entry(['gait', 'limits', 'window', 'minute'])!.versionstamp;
    await store.consume([request()]);
    expect(kv.entry(['gait', 'limits', 'window', 'minute'])!.versionstamp).toBe(record);
  });

  it('a KV that throws (closed) fails with LimitStoreError naming the store', async () => {
    const kv = new FakeKv();
    kv.failWith = new Error('Database closed');
    const err = await denoKvLimitStore(kv, { name: 'deno-kv test' }).consume([request()]).catch((e) => e);
    expect(err).toBeInstanceOf(LimitStoreError);
    expect(err.message).toMatch(/^limit store deno-kv test: .*Database closed/);
  });

  it('garbled counters and window records fail with LimitStoreError, and nothing is written', async () => {
    for (const garbage of ['7', { n: 1 }, -1, 1.5, null]) {
      const kv = new FakeKv();
      const r = request();
      kv.put(['gait', 'limits', r.counterKey], garbage);
      const before = kv.commits;
      await expect(denoKvLimitStore(kv).consume([r])).rejects.toThrow(LimitStoreError);
      expect(kv.commits).toBe(before);
    }
    for (const garbage of ['x', [['b', 1]], [['a', null], ['b', null]], [[1, null]]]) {
      const kv = new FakeKv();
      kv.put(['gait', 'limits', 'window', 'minute'], garbage);
      await expect(denoKvLimitStore(kv).consume([request()])).rejects.toThrow(/garbled window record/);
    }
  });

  it('fails closed once a window record would hold more than 256 buckets (evaluation times going back again and again)', async () => {
    const store = denoKvLimitStore(new FakeKv());
    const at = (i: number) => new Date(Date.UTC(2026, 11, 3, 10) - i * 60_000).toISOString().replace('.000Z', 'Z');
    for (let i = 0; i < 256; i++) await store.consume([request({ bucket: at(i), counterKey: `minute|tool_identity|${at(i)}|t|a` })]);
    await expect(store.consume([request({ bucket: at(256), counterKey: `minute|tool_identity|${at(256)}|t|a` })])).rejects.toThrow(/holds more than 256 buckets/);
    // A later bucket empties the record again.
    expect(await store.consume([request({ bucket: at(-1), counterKey: `minute|tool_identity|${at(-1)}|t|a` })])).toEqual([{ used: 1, exceeded: false }]);
  });

  it('a KV that never answers fails with LimitStoreError after timeoutMs', async () => {
    const kv = new FakeKv();
    kv.get = () => new Promise(() => {});
    const err = await denoKvLimitStore(kv, { timeoutMs: 50 }).consume([request()]).catch((e) => e);
    expect(err).toBeInstanceOf(LimitStoreError);
    expect(err.message).toMatch(/no answer within 50 ms/);
  });

  it('gives up with LimitStoreError when every commit conflicts (bounded retries)', async () => {
    const kv = new FakeKv();
    let commits = 0;
    kv.atomic = () => {
      const op = { check: () => op, set: () => op, delete: () => op, commit: async () => (commits++, { ok: false }) };
      return op;
    };
    await expect(denoKvLimitStore(kv, { maxRetries: 3 }).consume([request()])).rejects.toThrow(/gave up after 4 commits lost to concurrent writers/);
    expect(commits).toBe(4);
  });

  it('retries a busy local KV file ("database is locked": nothing was written) and counts once', async () => {
    const kv = new FakeKv();
    const atomic = kv.atomic.bind(kv);
    let busy = 2;
    kv.atomic = () => {
      const op = atomic();
      const commit = op.commit;
      op.commit = () => (busy-- > 0 ? Promise.reject(new TypeError('database is locked')) : commit());
      return op;
    };
    const r = request();
    expect(await denoKvLimitStore(kv).consume([r])).toEqual([{ used: 1, exceeded: false }]);
    expect(kv.entry(['gait', 'limits', r.counterKey])?.value).toBe(1n);
  });

  it('is exact with several stores (isolates) on one KV, 8 × 50 concurrent consumes against a limit of 37', async () => {
    const kv = new FakeKv();
    const r = request({ requests: 37 });
    const stores = Array.from({ length: 8 }, () => denoKvLimitStore(kv, { maxRetries: 1000, timeoutMs: 60_000 }));
    const results = (await Promise.all(stores.flatMap((s) => Array.from({ length: 50 }, () => s.consume([r]))))).map((x) => x[0]!);
    expect(results.filter((c) => !c.exceeded).map((c) => c.used).sort((a, b) => a - b)).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
    expect(results.filter((c) => c.exceeded).every((c) => c.used === 37)).toBe(true);
    expect(kv.conflicts).toBeGreaterThan(0);
  });
});
