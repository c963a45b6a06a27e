import { describe, expect, it } from 'vitest';
import { memoryLimitStore } from '../../bindings/stores/memory.js';
import { limitStoreContract, request } from './contract.js';

limitStoreContract('memory', async () => ({ store: memoryLimitStore() }));

describe('memory limit store', () => {
  it('prunes earlier buckets of the same window when it counts', () => {
    const store = memoryLimitStore();
    const old = request({ bucket: '2026-12-03T09:59:00Z', counterKey: 'minute|tool_identity|2026-12-03T09:59:00Z|t|a' });
    store.consume([old]);
    expect(store.counters.size).toBe(1);
    store.consume([request({ bucket: '2026-12-03T10:00:00Z' })]);
    expect([...store.counters.keys()].some((k) => k.includes('09:59'))).toBe(false);
  });
});
