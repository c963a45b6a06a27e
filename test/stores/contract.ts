// The limit-store contract (bindings/stores/types.ts), run against every store: the same cases
// as the in-memory reference (countInMap), and exact counts under concurrent evaluations.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { LimitStore } from '../../bindings/stores/types.js';
import { countInMap, type LimitRequest } from '../../bindings/limits.js';

let serial = 0;
/** A request on a fresh counter (unique per call unless `key` is given). */
export function request(over: Partial<LimitRequest> = {}): LimitRequest {
  const bucket = over.bucket ?? '2026-12-03T10:00:00Z';
  const key = over.key ?? `tool.x${serial++}-${Math.random().toString(36).slice(2)}|alice`;
  const window = over.window ?? 'minute';
  const scope = over.scope ?? 'tool_identity';
  return {
    limit_kind: 'rate_limit', scope, key, window, windowPrefix: `${window}|`, bucket, requests: 3, ttlSeconds: 120,
    counterKey: `${window}|${scope}|${bucket}|${key}`,
    ...over,
  };
}

export interface StoreFixture {
  store: LimitStore;
  /** Called after each test. */
  close?: () => Promise<void> | void;
}

export function limitStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`limit store contract: ${name}`, () => {
    let f: StoreFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.close?.();
    });

    it('counts while used < requests, then refuses without counting', async () => {
      const r = request({ requests: 2 });
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push((await f.store.consume([r]))[0]);
      expect(seen).toEqual([
        { used: 1, exceeded: false },
        { used: 2, exceeded: false },
        { used: 2, exceeded: true },
        { used: 2, exceeded: true },
      ]);
    });

    it('answers an empty request list with an empty list', async () => {
      expect(await f.store.consume([])).toEqual([]);
    });

    it('keeps counters apart by key, bucket and window', async () => {
      const a = request({ requests: 1 });
      const b = request({ requests: 1, key: a.key, bucket: '2026-12-03T10:01:00Z', counterKey: `minute|tool_identity|2026-12-03T10:01:00Z|${a.key}` });
      const c = request({ requests: 1, key: a.key, window: 'hour', bucket: '2026-12-03T10:00:00Z', counterKey: `hour|tool_identity|2026-12-03T10:00:00Z|${a.key}`, ttlSeconds: 7200 });
      expect(await f.store.consume([a])).toEqual([{ used: 1, exceeded: false }]);
      expect(await f.store.consume([b])).toEqual([{ used: 1, exceeded: false }]);
      expect(await f.store.consume([c])).toEqual([{ used: 1, exceeded: false }]);
      expect(await f.store.consume([b])).toEqual([{ used: 1, exceeded: true }]);
    });

    it('applies two requests on one counter in order (a script\'s rate limit and budget)', async () => {
      const r = request({ requests: 3 });
      const budget = { ...r, limit_kind: 'destructive_budget' as const, requests: 2 };
      const expected = countInMap(new Map(), [r, budget]);
      expect(await f.store.consume([r, budget])).toEqual(expected);
      expect(await f.store.consume([r, budget])).toEqual([{ used: 3, exceeded: false }, { used: 3, exceeded: true }]);
    });

    it('one refused request does not stop the other from counting', async () => {
      const full = request({ requests: 1 });
      await f.store.consume([full]);
      const other = request({ requests: 5 });
      expect(await f.store.consume([full, other])).toEqual([{ used: 1, exceeded: true }, { used: 1, exceeded: false }]);
    });

    it('is exact under 50 concurrent evaluations against a limit of 7', async () => {
      const r = request({ requests: 7 });
      const results = await Promise.all(Array.from({ length: 50 }, () => Promise.resolve(f.store.consume([r]))));
      const allowed = results.filter((x) => !x[0]!.exceeded).map((x) => x[0]!.used).sort((a, b) => a - b);
      expect(allowed).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(results.filter((x) => x[0]!.exceeded).every((x) => x[0]!.used === 7)).toBe(true);
    });
  });
}
