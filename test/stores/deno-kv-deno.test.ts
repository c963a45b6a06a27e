// The Deno KV store on real Deno KV (Deno.openKv on a SQLite file in a temp dir), under the
// repo's deno (node_modules/.bin/deno; Deno.openKv needs --unstable-kv). deno-kv-runner.ts runs
// the shared contract cases inside Deno and prints what it saw; the assertions are made here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as R from '../runtimes/runtimes.mjs';
import { contractCases } from './contract-cases.js';

const RUNNER = 'test/stores/deno-kv-runner.ts';
let dir: string;

/** Runs the runner in a fresh deno process with access to the temp dir only; its JSON output. */
async function deno(...args: string[]): Promise<unknown> {
  const r = await R.exec(R.bin('deno'), ['run', '--no-lock', '--no-prompt', '--sloppy-imports', '--unstable-kv', `--allow-read=${dir}`, `--allow-write=${dir}`, RUNNER, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  if (r.code !== 0) throw new Error(`deno ${args[0]} failed (exit ${r.code ?? r.signal}):\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gait-deno-kv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('limit store contract: deno-kv (Deno.openKv, in Deno)', () => {
  let seen: { name: string; checks: { actual: unknown; expected: unknown }[]; error?: unknown }[];
  beforeAll(async () => {
    seen = (await deno('contract', join(dir, 'contract.sqlite'))) as typeof seen;
  }, 60_000);

  for (const c of contractCases) {
    it(c.name, () => {
      const s = seen.find((x) => x.name === c.name)!;
      expect(s.error).toBeUndefined();
      expect(s.checks.length).toBeGreaterThan(0);
      for (const { actual, expected } of s.checks) expect(actual).toEqual(expected);
    });
  }
});

describe('deno-kv limit store in Deno', () => {
  it('is exact across 8 deno processes × 50 concurrent consumes on one KV file against a limit of 137', async () => {
    const file = join(dir, 'shared.sqlite');
    const key = 'minute|tool_identity|2026-12-03T10:00:00Z|tool.x|alice';
    const runs = (await Promise.all(Array.from({ length: 8 }, () => deno('consume', file, '50', '137', key)))) as { used: number; exceeded: boolean }[][];
    const all = runs.flat();
    expect(all).toHaveLength(400);
    expect(all.filter((c) => !c.exceeded).map((c) => c.used).sort((a, b) => a - b)).toEqual(Array.from({ length: 137 }, (_, i) => i + 1));
    expect(all.filter((c) => c.exceeded).every((c) => c.used === 137)).toBe(true);
  }, 120_000);

  it('a KV closed mid-run: every consume either counted before or fails with LimitStoreError', async () => {
    const results = (await deno('close-mid-run', join(dir, 'closing.sqlite'), '20')) as { count?: { used: number }; error?: { name: string; code: string; message: string } }[];
    expect(results[0]!.count).toEqual({ used: 1, exceeded: false });
    const failed = results.filter((r) => r.error);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(r.error).toMatchObject({ name: 'LimitStoreError', code: 'limit_store_unavailable', message: expect.stringMatching(/^limit store deno-kv: /) });
    const counted = results.filter((r) => r.count).map((r) => r.count!.used);
    expect(counted).toEqual(counted.map((_, i) => i + 1));
  }, 60_000);

  it('a counter holding a non-number fails with LimitStoreError', async () => {
    expect(await deno('garbled', join(dir, 'garbled.sqlite'))).toEqual({
      error: { name: 'LimitStoreError', code: 'limit_store_unavailable', message: expect.stringMatching(/^limit store deno-kv: garbled counter at \["gait","limits","minute\|/) },
    });
  }, 60_000);
});
