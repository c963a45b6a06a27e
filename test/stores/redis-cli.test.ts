// `gait gate eval --rate-limit-store redis://…`: the CLI counts through the Redis store, refuses
// conflicting or bad flags (exit 6), and fails closed when the store cannot answer: the call
// blocks with `limit_store_unavailable` (exit 3), the warning names the store, the trace says so.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createClient } from '@redis/client';
import { afterAll, describe, expect, it } from 'vitest';
import { gait, FIXTURES, REPO } from '../cli/run.js';
import { HAVE_REDIS, startTestRedis, type TestRedis } from './redis-server.js';

const RATE_POLICY = `default_verdict: block
rules:
  - name: limited-write
    effect: allow
    match:
      tool_names: [tool.write]
    rate_limit:
      requests: 2
      window: minute
      scope: tool_identity
`;
const INTENT = FIXTURES + 'policy-test/intent.json';
const COUNTER = 'gait:limits:minute|tool_identity|2026-03-10T14:30:00Z|tool.write|example-user';

let server: TestRedis | undefined;
afterAll(async () => {
  await server?.dispose();
});

function setup(): { dir: string; policy: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-redis-cli-'));
  const policy = path.join(dir, 'p.yaml');
  writeFileSync(policy, RATE_POLICY);
  return { dir, policy };
}

/** The real command, bounded: a hung store connection would show as a timeout, not a hang. */
function gaitProcess(args: string[], cwd: string): { exit: number | null; json: Record<string, any>; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/gait.js'), ...args], { cwd, encoding: 'utf8', timeout: 15_000 });
  return { exit: r.status, json: r.stdout.trim().startsWith('{') ? JSON.parse(r.stdout) : {}, ms: Date.now() - started };
}

describe('gate eval --rate-limit-store', () => {
  it('refuses it beside --rate-limit-state, and a URL that is not redis:// or rediss:// (exit 6)', async () => {
    const { dir, policy } = setup();
    const both = await gait(['gate', 'eval', '--policy', policy, '--intent', INTENT, '--rate-limit-state', path.join(dir, 's.json'), '--rate-limit-store', 'redis://127.0.0.1:1/0', '--json'], { cwd: dir });
    expect(both.exit).toBe(6);
    expect(both.json.error).toMatch(/--rate-limit-state and --rate-limit-store/);
    for (const bad of ['http://127.0.0.1:6379', 'localhost:6379', 'redis://']) {
      const r = await gait(['gate', 'eval', '--policy', policy, '--intent', INTENT, '--rate-limit-store', bad, '--json'], { cwd: dir });
      expect(r.exit, bad).toBe(6);
      expect(r.json.error).toMatch(/--rate-limit-store/);
    }
    expect(existsSync(path.join(dir, '.gait-out'))).toBe(false);
  });

  it.skipIf(!HAVE_REDIS)('counts in Redis: allows `requests` calls per window, then blocks', async () => {
    server ??= await startTestRedis();
    const { dir, policy } = setup();
    const run = (time: string) =>
      gait(['gate', 'eval', '--policy', policy, '--intent', INTENT, '--rate-limit-store', server!.url, '--evaluation-time', time, '--json'], { cwd: dir });
    const a = await run('2026-03-10T14:30:05Z');
    expect(a.exit).toBe(0);
    expect(a.json).toMatchObject({ rate_limit_scope: 'tool_identity', rate_limit_key: 'tool.write|example-user', rate_limit_used: 1, rate_limit_remaining: 1 });
    expect((await run('2026-03-10T14:30:40Z')).json.rate_limit_used).toBe(2);
    const c = await run('2026-03-10T14:30:59Z');
    expect(c.exit).toBe(3);
    expect(c.json.reason_codes).toEqual(['matched_rule_limited_write', 'rate_limit_exceeded']);
    const client = createClient({ url: server.url });
    await client.connect();
    expect(await client.get(COUNTER)).toBe('2');
    client.destroy();
    // No state file: the counters live in Redis only.
    expect(existsSync(path.join(dir, '.gait-out/gate_rate_limits.json'))).toBe(false);
  });

  it.skipIf(!HAVE_REDIS)('the gait process counts and exits (its connection closed)', async () => {
    server ??= await startTestRedis();
    const { dir, policy } = setup();
    const r = gaitProcess(['gate', 'eval', '--policy', policy, '--intent', INTENT, '--rate-limit-store', server.url, '--evaluation-time', '2026-03-10T15:00:00Z', '--json'], dir);
    expect(r.exit).toBe(0);
    expect(r.json.rate_limit_used).toBe(1);
  });

  it.skipIf(!HAVE_REDIS)('fails closed when the store cannot answer: a block (exit 3) naming the store, a signed trace of it, no hang', async () => {
    server ??= await startTestRedis();
    const { dir, policy } = setup();
    const down = `redis://127.0.0.1:${server.port}/0`;
    await server.stop();
    try {
      const trace = path.join(dir, 'trace.json');
      const args = ['gate', 'eval', '--policy', policy, '--intent', INTENT, '--rate-limit-store', down, '--trace-out', trace, '--json'];
      const r = await gait(args, { cwd: dir });
      expect(r.exit).toBe(3);
      expect(r.json).toMatchObject({ ok: true, verdict: 'block' });
      expect(r.json.reason_codes).toContain('limit_store_unavailable');
      expect(r.json.violations).toContain('limit_store_unavailable');
      expect(r.json.warnings.some((w: string) => w.includes(`limit store ${down}`))).toBe(true);
      expect(JSON.parse(readFileSync(trace, 'utf8'))).toMatchObject({ verdict: 'block' });
      const p = gaitProcess(args, dir);
      expect(p.exit).toBe(3);
      expect(p.ms).toBeLessThan(10_000);
    } finally {
      await server.start();
    }
  });
});
