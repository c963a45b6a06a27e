// The Redis store in Bun and Deno, through their package entries (dist/bundle/node.js, which Bun
// takes, and dist/bundle/deno.js), against a real redis-server. Deno needs net access to the
// server and env access to the one variable node-redis reads.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from '../runtimes/runtimes.mjs';
import { HAVE_REDIS, startTestRedis, type TestRedis } from './redis-server.js';

const PROBE = fileURLToPath(new URL('./redis-runtime-probe.mjs', import.meta.url));
const COUNTS = JSON.stringify([{ used: 1, exceeded: false }, { used: 2, exceeded: false }, { used: 2, exceeded: true }]);
let server: TestRedis | undefined;
afterAll(async () => {
  await server?.dispose();
});

describe.skipIf(!HAVE_REDIS)('redis limit store in other runtimes', () => {
  it('bun (node entry)', async () => {
    server ??= await startTestRedis();
    const r = await R.exec(R.bin('bun'), [PROBE, '../../dist/bundle/node.js', server.url]);
    expect(r.stdout, r.stderr).toBe(`${COUNTS}\n`);
  }, 60_000);

  it('deno (deno entry, and a client from npm:@redis/client)', async () => {
    server ??= await startTestRedis();
    const perms = ['--allow-read', '--allow-net=127.0.0.1', '--allow-env=REDIS_DEBUG_MAINTENANCE'];
    const r = await R.exec(R.bin('deno'), ['run', '--no-prompt', '--no-lock', ...perms, PROBE, '../../dist/bundle/deno.js', server.url], { env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout, r.stderr).toBe(`${COUNTS}\n${COUNTS}\n`);
  }, 60_000);
});
