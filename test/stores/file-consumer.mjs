// One process of the file store's concurrency test:
// `node file-consumer.mjs <state file> <counterKey> <limit> <n>` sends n concurrent consumes of
// one counter through its own fileLimitStore and prints their counts.
const [file, counterKey, limit, n] = process.argv.slice(2);
const { fileLimitStore } = await import(new URL('../../dist/stores/file-node.js', import.meta.url).href);
const store = fileLimitStore(file);
const request = {
  limit_kind: 'rate_limit', scope: 'tool_identity', key: 'tool.x|alice', window: 'minute', windowPrefix: 'minute|',
  bucket: '2026-12-03T10:00:00Z', requests: Number(limit), ttlSeconds: 120, counterKey,
};
const counts = await Promise.all(Array.from({ length: Number(n) }, () => store.consume([request])));
process.stdout.write(JSON.stringify(counts.map((c) => c[0])));
