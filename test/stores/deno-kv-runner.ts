// Runs inside Deno (deno-kv-deno.test.ts spawns it): the Deno KV store on a real Deno.openKv
// database file. Prints one JSON document on stdout; the vitest side makes the assertions.
//   contract <kv file>                          every contract case: [{ name, checks | error }]
//   consume <kv file> <n> <limit> <counter key>  n concurrent consumes of one counter: [LimitCount]
//   close-mid-run <kv file> <n>                  n concurrent consumes, the KV closed after the first answer
//   garbled <kv file>                            a counter holding a string, then a consume
import { denoKvLimitStore, type KvLike } from '../../bindings/stores/deno-kv.ts';
import { contractCases, request } from './contract-cases.ts';

declare const Deno: {
  args: string[];
  openKv(path: string): Promise<KvLike & { close(): void; set(key: unknown[], value: unknown): Promise<unknown> }>;
};

const [mode, path, ...rest] = Deno.args;
/**
 * Deno.openKv on a file that other processes are opening at the same moment can fail with SQLite's
 * "database is locked" (setting up the file takes a write lock): retry, as an application
 * starting many processes at once has to.
 */
async function openKv(file: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Deno.openKv(file);
    } catch (err) {
      if (attempt >= 50 || !/database is locked/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
    }
  }
}
const kv = await openKv(path!);
const errorOf = (err: unknown) => ({ name: (err as Error).name, message: (err as Error).message, code: (err as { code?: string }).code });
let out: unknown;

if (mode === 'contract') {
  out = [];
  for (const c of contractCases) {
    // A prefix per case: each case sees a store of its own, as with a fresh memory store.
    const store = denoKvLimitStore(kv, { prefix: ['contract', crypto.randomUUID()] });
    const checks: { actual: unknown; expected: unknown }[] = [];
    try {
      await c.run(store, (actual, expected) => void checks.push({ actual, expected }));
      (out as unknown[]).push({ name: c.name, checks });
    } catch (err) {
      (out as unknown[]).push({ name: c.name, checks, error: errorOf(err) });
    }
  }
} else if (mode === 'consume') {
  const [n, limit, counterKey] = rest;
  const store = denoKvLimitStore(kv, { prefix: ['concurrency'] });
  const r = request({ requests: Number(limit), counterKey: counterKey!, key: 'tool.x|alice' });
  out = (await Promise.all(Array.from({ length: Number(n) }, () => store.consume([r])))).map((c) => c[0]);
} else if (mode === 'close-mid-run') {
  const store = denoKvLimitStore(kv, { prefix: ['closing'] });
  const r = request({ requests: 1000 });
  const settled = Array.from({ length: Number(rest[0]) }, () => store.consume([r]).then((c) => ({ count: c[0] }), (err) => ({ error: errorOf(err) })));
  await settled[0];
  kv.close();
  out = await Promise.all(settled);
} else if (mode === 'garbled') {
  const r = request();
  await kv.set(['gait', 'limits', r.counterKey], 'seven');
  out = await denoKvLimitStore(kv).consume([r]).then((c) => ({ count: c }), (err) => ({ error: errorOf(err) }));
} else {
  throw new Error(`unknown mode ${mode}`);
}

if (mode !== 'close-mid-run') kv.close();
console.log(JSON.stringify(out));
