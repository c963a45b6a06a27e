// examples/node-redis as a user runs it (after `npm run build`: it imports `gait-wasm`): service
// processes on free ports over one real redis-server. Limits are exact across processes, approval
// tokens grant writes, a Redis outage blocks (never allows), and every decision's trace is kept
// as a signed JSON line that verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePrivateKey, generateKeyPair, parsePrivateKey } from '../../bindings/crypto/keys.js';
import { verifyTrace } from '../../bindings/crypto/trace.js';
import { mintApprovalToken } from '../../bindings/tokens/index.js';
import { HAVE_REDIS, startTestRedis, type TestRedis } from './redis-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = join(ROOT, 'examples/node-redis');
const KEYS = join(ROOT, 'test/fixtures/gait/scenarios/keys');
const SLOW = 120_000;
const TRACE_KEY = generateKeyPair();

interface Service {
  url: string;
  traces: string;
  process: ChildProcess;
  stop(): Promise<number | null>;
}

const dir = mkdtempSync(join(tmpdir(), 'gait-node-redis-example-'));
const services: Service[] = [];
let redis: TestRedis | undefined;
let shared: Service;

/** Starts `node examples/node-redis/server.mjs` on a free port; resolves once it listens. */
async function startService(redisUrl: string, name: string, env: Record<string, string> = {}, traces = join(dir, `${name}.jsonl`)): Promise<Service> {
  const child = spawn(process.execPath, [join(EXAMPLE, 'server.mjs'), join(EXAMPLE, 'policy.yaml'), '--port', '0', '--traces', traces], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: redisUrl, GAIT_SIGNING_KEY: encodePrivateKey(TRACE_KEY.privateKey), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`service exited ${code}: ${stderr}`)));
  });
  const service: Service = {
    url, traces, process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  services.push(service);
  return service;
}

async function gate(service: Service, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(service.url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  return { status: r.status, body: await r.json() };
}

const read = (identity: string) => ({ tool_name: 'tool.read', context: { identity, workspace: '/w', risk_class: 'low' } });

/** Runs `check` again (once) if a UTC minute boundary fell inside it: reads count per minute. */
async function inOneMinute(check: (attempt: number) => Promise<void>): Promise<void> {
  const minute = Math.floor(Date.now() / 60_000);
  try {
    await check(0);
  } catch (err) {
    if (Math.floor(Date.now() / 60_000) === minute) throw err;
    await check(1);
  }
}

describe.skipIf(!HAVE_REDIS)('examples/node-redis', () => {
  beforeAll(async () => {
    redis = await startTestRedis();
    shared = await startService(redis.url, 'shared', { GAIT_APPROVER_KEY_FILE: join(KEYS, 'approval_public.key') });
  }, SLOW);
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await redis?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('allows 3 reads a minute per identity, then blocks with rate_limit_exceeded', () => inOneMinute(async (attempt) => {
    const identity = `reader-${Date.now()}-${attempt}`;
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const { status, body } = await gate(shared, read(identity));
      expect(status).toBe(200);
      seen.push([body.verdict, body.rate_limit_used, body.reason_codes]);
    }
    expect(seen).toEqual([
      ['allow', 1, ['safe_read_allowed']],
      ['allow', 2, ['safe_read_allowed']],
      ['allow', 3, ['safe_read_allowed']],
      ['block', 3, ['rate_limit_exceeded', 'safe_read_allowed']],
    ]);
    expect((await gate(shared, read(`${identity}-other`))).body).toMatchObject({ verdict: 'allow', rate_limit_used: 1 });
  }), SLOW);

  it('is exact across 4 service processes on one Redis × 50 concurrent reads each: 3 allowed', async () => {
    const crowd = await Promise.all([1, 2, 3, 4].map((i) => startService(redis!.url, `crowd-${i}`)));
    // Connect each service first (a loaded machine may be slow to open the first connection).
    for (const s of crowd) expect((await gate(s, read(`warm-${Date.now()}`))).body.verdict).toBe('allow');
    await inOneMinute(async (attempt) => {
      const identity = `crowd-${Date.now()}-${attempt}`;
      const answers = await Promise.all(crowd.flatMap((s) => Array.from({ length: 50 }, () => gate(s, read(identity)))));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(answers.filter((a) => a.body.verdict === 'allow').map((a) => a.body.rate_limit_used).sort()).toEqual([1, 2, 3]);
      const blocked = answers.filter((a) => a.body.verdict === 'block');
      expect(blocked.length).toBe(197);
      expect(blocked.every((a) => (a.body.reason_codes as string[]).includes('rate_limit_exceeded'))).toBe(true);
    });
  }, SLOW);

  it('grants a write with an approval token signed by the configured approver key, refuses a forged one', async () => {
    const write = { tool_name: 'tool.write', args: { path: '/w/a.txt' }, targets: [{ kind: 'path', value: '/w/a.txt', operation: 'write' }], context: { identity: `writer-${Date.now()}`, workspace: '/w', risk_class: 'low' } };
    const first = await gate(shared, write);
    expect(first.body).toMatchObject({ verdict: 'require_approval', reason_codes: ['approval_required_for_write', 'approval_token_missing'] });
    const token = await mintApprovalToken({
      intentDigest: first.body.intent_digest as string, policyDigest: first.body.policy_digest as string, ttl: '1h', scope: ['tool:tool.write'],
      approver: 'security', reasonCode: 'reviewed', now: new Date(), privateKey: parsePrivateKey(readFileSync(join(KEYS, 'approval_private.key'), 'utf8')),
    });
    const granted = await gate(shared, { intent: write, approval_tokens: [token] });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ verdict: 'allow', valid_approvals: 1 });
    expect(granted.body.reason_codes).toContain('approval_granted');
    const forged = await gate(shared, { intent: write, approval_tokens: [{ ...token, approver_identity: 'mallory' }] });
    expect(forged.body).toMatchObject({ verdict: 'require_approval' });
    expect(forged.body.reason_codes).toContain('approval_token_signature_invalid');
    // A service without the approver key verifies with its trace key: the same token does not grant.
    const other = await startService(redis!.url, 'no-approver');
    expect((await gate(other, { intent: write, approval_tokens: [token] })).body).toMatchObject({ verdict: 'require_approval' });
  }, SLOW);

  it('keeps approval audit records as JSON lines when given --audits (GAIT_AUDITS)', async () => {
    const audits = join(dir, 'audits.jsonl');
    const service = await startService(redis!.url, 'with-audits', { GAIT_AUDITS: audits });
    const write = { tool_name: 'tool.write', args: { path: '/w/b.txt' }, targets: [{ kind: 'path', value: '/w/b.txt', operation: 'write' }], context: { identity: `auditor-${Date.now()}`, workspace: '/w', risk_class: 'low' } };
    const r = await gate(service, write);
    expect(r.body).toMatchObject({ verdict: 'require_approval', approval_audit_path: audits });
    const lines = readFileSync(audits, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'approval_audit', record: { schema_id: 'gait.gate.approval_audit_record', trace_id: r.body.trace_id, required_approvals: 1, approved: false } });
  }, SLOW);

  it('answers an invalid intent or body with 400 and no verdict', async () => {
    expect(await gate(shared, { tool_name: '' })).toEqual({ status: 400, body: { ok: false, error: 'normalize intent: tool_name is required', error_category: 'invalid_input' } });
    const r = await fetch(shared.url, { method: 'POST', body: '{not json' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false, error_category: 'invalid_input' });
  }, SLOW);

  it('blocks with limit_store_unavailable while Redis is down (never allows), counts again once it is back', async () => {
    const own = await startTestRedis();
    try {
      const service = await startService(own.url, 'outage');
      const identity = `outage-${Date.now()}`;
      expect((await gate(service, read(identity))).body).toMatchObject({ verdict: 'allow', rate_limit_used: 1 });
      await own.stop();
      const during = await Promise.all(Array.from({ length: 10 }, (_, i) => gate(service, read(`${identity}-${i % 2}`))));
      for (const { status, body } of during) {
        expect(status).toBe(200);
        expect(body).toMatchObject({ verdict: 'block', violations: ['limit_store_unavailable'] });
        expect(body.reason_codes).toContain('limit_store_unavailable');
      }
      // Restarted empty (no persistence): counting starts again from 1.
      await own.start();
      expect((await gate(service, read(`${identity}-after`))).body).toMatchObject({ verdict: 'allow', rate_limit_used: 1 });
    } finally {
      await own.dispose();
    }
  }, SLOW);

  it('appends one signed trace line per decision, each verifying with the service\'s key', async () => {
    const service = await startService(redis!.url, 'traced');
    const identity = `traced-${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => gate(service, read(identity))));
    await gate(service, { tool_name: '' }); // 400: no decision, no trace
    const lines = readFileSync(service.traces, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(12);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.trace_id).sort()).toEqual(answers.map((a) => a.body.trace_id).sort());
    expect(answers.every((a) => a.body.trace_path === service.traces)).toBe(true);
    for (const line of lines) {
      const verified = await verifyTrace(line, TRACE_KEY.publicKey);
      expect(verified).toMatchObject({ ok: true, signature_status: 'verified' });
    }
    expect(records.filter((r) => r.verdict === 'allow').length).toBe(3);
  }, SLOW);

  it('answers 500 with no verdict when the trace cannot be kept', async () => {
    const service = await startService(redis!.url, 'untraced', {}, join(dir, 'missing-dir', 'traces.jsonl'));
    expect(await gate(service, read(`untraced-${Date.now()}`))).toEqual({ status: 500, body: { ok: false, error: 'internal error' } });
  }, SLOW);

  it('closes its Redis connection and exits 0 on SIGTERM', async () => {
    const service = await startService(redis!.url, 'stopping');
    await gate(service, read(`stopping-${Date.now()}`));
    const started = Date.now();
    expect(await service.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, SLOW);
});
