// Run by Bun or Deno (redis-runtimes.test.ts): `<runtime> redis-runtime-probe.mjs <entry URL> <redis URL>`
// counts one counter three times against a limit of 2 through that runtime's entry, from the URL
// and (Deno) from a client of its own imported by an npm: specifier; prints the counts.
const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [entry, url] = args;
const { redisLimitStore } = await import(entry);
const request = (tag) => ({
  limit_kind: 'rate_limit', scope: 'tool_identity', key: 'k', window: 'minute', windowPrefix: 'minute|', bucket: '2026-12-03T10:00:00Z', requests: 2, ttlSeconds: 120,
  counterKey: `minute|tool_identity|2026-12-03T10:00:00Z|runtime-${tag}-${Date.now()}-${Math.random()}|alice`,
});
async function threeCounts(store, r) {
  const out = [];
  for (let i = 0; i < 3; i++) out.push((await store.consume([r]))[0]);
  return out;
}
const store = redisLimitStore(url, { timeoutMs: 5000 });
try {
  console.log(JSON.stringify(await threeCounts(store, request('url'))));
} finally {
  await store.close();
}
if (globalThis.Deno) {
  const specifier = 'npm:@redis/client';
  const { createClient } = await import(specifier);
  const client = createClient({ url });
  await client.connect();
  try {
    console.log(JSON.stringify(await threeCounts(redisLimitStore(client), request('client'))));
  } finally {
    client.destroy();
  }
}
