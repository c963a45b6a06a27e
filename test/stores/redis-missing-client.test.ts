// @redis/client is an optional peer dependency: an install without it still loads the package,
// and only a redis:// URL needs it. Then the store fails closed with an error that says what to
// install (or that a client of one's own can be passed instead).
import { describe, expect, it, vi } from 'vitest';
import { request } from './contract.js';

vi.mock('@redis/client', () => {
  throw new Error("Cannot find package '@redis/client' imported from gait-wasm");
});

describe('redis:// without @redis/client installed', () => {
  it('rejects the consume with a LimitStoreError naming the package to install', async () => {
    const { redisLimitStore } = await import('../../bindings/stores/redis.js');
    const { LimitStoreError } = await import('../../bindings/stores/types.js');
    const store = redisLimitStore('redis://127.0.0.1:1/0', { timeoutMs: 5000 });
    const err = await store.consume([request()]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LimitStoreError);
    expect((err as Error).message).toMatch(/npm install @redis\/client/);
    // The loader's own error stays attached, for the details.
    expect((err as Error).cause).toBeInstanceOf(Error);
    await store.close();
  });
});
