// examples/deno-kv runs as its README says (after `npm run build`: it imports `gait-wasm`), and
// its counters outlive the process; Deno.Kv type-checks as the store's KvLike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as R from '../runtimes/runtimes.mjs';

const dir = mkdtempSync(join(tmpdir(), 'gait-deno-kv-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NO_COLOR = { ...process.env, NO_COLOR: '1' };

describe('examples/deno-kv', () => {
  it('gates searches with a rate limit counted in a Deno KV file, and blocks once the KV is closed', async () => {
    const file = join(dir, 'limits.sqlite');
    const run = () => R.exec(R.bin('deno'), ['run', '--no-lock', '--unstable-kv', '--allow-read', `--allow-write=${dir}`, 'examples/deno-kv/main.ts', file], { env: NO_COLOR });
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe([
      'search #1: allow [search_allowed] (used 1, remaining 2)',
      'search #2: allow [search_allowed] (used 2, remaining 1)',
      'search #3: allow [search_allowed] (used 3, remaining 0)',
      'search #4: block [rate_limit_exceeded,search_allowed] (used 3, remaining 0)',
      'another identity: allow [search_allowed] (used 1, remaining 2)',
      'after the KV closed: block [limit_store_unavailable,search_allowed]',
      '',
    ].join('\n'));
    // A second process on the same file sees the first one's counts.
    const second = await run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.split('\n').slice(0, 5)).toEqual([
      'search #1: block [rate_limit_exceeded,search_allowed] (used 3, remaining 0)',
      'search #2: block [rate_limit_exceeded,search_allowed] (used 3, remaining 0)',
      'search #3: block [rate_limit_exceeded,search_allowed] (used 3, remaining 0)',
      'search #4: block [rate_limit_exceeded,search_allowed] (used 3, remaining 0)',
      'another identity: allow [search_allowed] (used 2, remaining 1)',
    ]);
  }, 120_000);

  it('Deno.Kv fits KvLike (deno check)', async () => {
    const r = await R.exec(R.bin('deno'), ['check', '--no-lock', '--sloppy-imports', '--unstable-kv', 'test/stores/deno-kv-types.ts'], { env: NO_COLOR });
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
});
