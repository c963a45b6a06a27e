// One process of the concurrency test: `node redis-consumer.mjs <module> <url> <counterKey> <limit> <n>`
// sends n concurrent consumes of one counter through its own store and prints their counts.
const [moduleUrl, url, counterKey, limit, n] = process.argv.slice(2);
const { redisLimitStore } = await import(moduleUrl);
const store = redisLimitStore(url, { timeoutMs: 30_000 });
const request = {
  limit_kind: 'rate_limit', scope: 'tool_identity', key: 'tool.x|alice', window: 'minute', windowPrefix: 'minute|',
  bucket: '2026-12-03T10:00:00Z', requests: Number(limit), ttlSeconds: 120, counterKey,
};
try {
  const counts = await Promise.all(Array.from({ length: Number(n) }, () => store.consume([request])));
  process.stdout.write(JSON.stringify(counts.map((c) => c[0])));
} finally {
  await store.close();
}
