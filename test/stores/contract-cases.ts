// The limit-store contract's cases (bindings/stores/types.ts) as plain data, with no test
// framework: contract.ts runs them under vitest, and deno-kv-runner.ts runs them inside Deno.
// Each case reports what it saw through `check(actual, expected)`; the caller asserts equality.
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

export type Check = (actual: unknown, expected: unknown) => void;

export interface ContractCase {
  name: string;
  /**
   * A behaviour of countInMap a store may leave out by design, saying so: `prunes-earlier-buckets`
   * (a later bucket resets earlier ones of its window; a TTL store keeps them, which is stricter
   * when evaluation times go back, never laxer).
   */
  capability?: 'prunes-earlier-buckets';
  run(store: LimitStore, check: Check): Promise<void>;
}

export const contractCases: readonly ContractCase[] = [
  {
    name: 'counts while used < requests, then refuses without counting',
    async run(store, check) {
      const r = request({ requests: 2 });
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push((await store.consume([r]))[0]);
      check(seen, [
        { used: 1, exceeded: false },
        { used: 2, exceeded: false },
        { used: 2, exceeded: true },
        { used: 2, exceeded: true },
      ]);
    },
  },
  {
    name: 'answers an empty request list with an empty list',
    async run(store, check) {
      check(await store.consume([]), []);
    },
  },
  {
    name: 'keeps counters apart by key, bucket and window',
    async run(store, check) {
      const a = request({ requests: 1 });
      const b = request({ requests: 1, key: a.key, bucket: '2026-12-03T10:01:00Z', counterKey: `minute|tool_identity|2026-12-03T10:01:00Z|${a.key}` });
      const c = request({ requests: 1, key: a.key, window: 'hour', bucket: '2026-12-03T10:00:00Z', counterKey: `hour|tool_identity|2026-12-03T10:00:00Z|${a.key}`, ttlSeconds: 7200 });
      check(await store.consume([a]), [{ used: 1, exceeded: false }]);
      check(await store.consume([b]), [{ used: 1, exceeded: false }]);
      check(await store.consume([c]), [{ used: 1, exceeded: false }]);
      check(await store.consume([b]), [{ used: 1, exceeded: true }]);
    },
  },
  {
    name: 'applies two requests on one counter in order (a script\'s rate limit and budget)',
    async run(store, check) {
      const r = request({ requests: 3 });
      const budget = { ...r, limit_kind: 'destructive_budget' as const, requests: 2 };
      const expected = countInMap(new Map(), [r, budget]);
      check(await store.consume([r, budget]), expected);
      check(await store.consume([r, budget]), [{ used: 3, exceeded: false }, { used: 3, exceeded: true }]);
    },
  },
  {
    name: 'one refused request does not stop the other from counting',
    async run(store, check) {
      const full = request({ requests: 1 });
      await store.consume([full]);
      const other = request({ requests: 5 });
      check(await store.consume([full, other]), [{ used: 1, exceeded: true }, { used: 1, exceeded: false }]);
    },
  },
  {
    name: 'a later bucket prunes earlier buckets of its window (any key), not of other windows',
    capability: 'prunes-earlier-buckets',
    async run(store, check) {
      const key = request().key;
      const at = (bucket: string, window = 'minute', k = key) => request({ requests: 5, key: k, window, bucket, counterKey: `${window}|tool_identity|${bucket}|${k}` });
      const old = at('2026-12-03T10:00:00Z');
      const oldOther = at('2026-12-03T10:00:00Z', 'minute', `${key}-other`);
      const hour = at('2026-12-03T10:00:00Z', 'hour');
      const next = at('2026-12-03T10:01:00Z');
      const seen = [];
      for (const batch of [[old, oldOther, hour], [old], [next], [old], [old, hour], [next, old], [oldOther], [next]]) {
        seen.push((await store.consume(batch)).map((c) => c.used));
      }
      // countInMap's answer: a request of an earlier bucket starts again from 0 after a later one.
      check(seen, [[1, 1, 1], [2], [1], [1], [2, 2], [2, 1], [1], [3]]);
    },
  },
  {
    name: 'is exact under 50 concurrent evaluations against a limit of 7',
    async run(store, check) {
      const r = request({ requests: 7 });
      const results = await Promise.all(Array.from({ length: 50 }, () => Promise.resolve(store.consume([r]))));
      const allowed = results.filter((x) => !x[0]!.exceeded).map((x) => x[0]!.used).sort((a, b) => a - b);
      check(allowed, [1, 2, 3, 4, 5, 6, 7]);
      check(results.filter((x) => x[0]!.exceeded).every((x) => x[0]!.used === 7), true);
    },
  },
];
