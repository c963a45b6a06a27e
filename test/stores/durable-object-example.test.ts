// examples/workerd-durable-limits under a real `workerd serve`: intents POSTed to the worker are
// gated with limits counted in the GaitLimits Durable Object. The sequence of decisions matches
// `gait gate eval --json` with a state file (when the Gait oracle is there), and concurrent
// requests from many clients get exactly the policy's limit. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mintApprovalToken } from '../../bindings/tokens/index.js';
import { parsePrivateKey } from '../../bindings/crypto/keys.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from '../runtimes/runtimes.mjs';

const EXAMPLE = join(R.ROOT, 'examples/workerd-durable-limits');
const LOCAL_ORACLE = resolve(R.ROOT, '../shared/oracle/gait');
const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(LOCAL_ORACLE) ? LOCAL_ORACLE : undefined);
const SLOW = 120_000;
/** What `gait gate eval --json` prints that the worker's answer leaves out (its files and argv). */
const CLI_ONLY = ['correlation_id', 'trace_path', 'approval_audit_path'];

const dir = mkdtempSync(join(tmpdir(), 'gait-do-example-'));
let server: { url: string; stop: () => Promise<void> };
beforeAll(async () => {
  mkdirSync(join(dir, 'storage'));
  server = await R.startWorkerd(join(EXAMPLE, 'config.capnp'), 'http', { args: ['--directory-path', `limits-storage=${join(dir, 'storage')}`] });
}, SLOW);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const read = (identity: string) => ({ tool_name: 'tool.read', context: { identity, workspace: '/w', risk_class: 'low' } });
const remove = (identity: string) => ({
  tool_name: 'tool.delete',
  targets: [{ kind: 'path', value: '/w/notes.txt', operation: 'delete', destructive: true }],
  context: { identity, workspace: '/w', risk_class: 'low' },
});

async function gate(intent: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(server.url, { method: 'POST', body: JSON.stringify(intent), signal: AbortSignal.timeout(20_000) });
  return { status: r.status, body: await r.json() };
}

/** The same intents through `gait gate eval --json`, one state file, in a fresh directory. */
function oracleDecisions(intents: unknown[]): Record<string, unknown>[] {
  const cwd = mkdtempSync(join(dir, 'oracle-'));
  mkdirSync(join(cwd, '.gait-out'));
  return intents.map((intent, i) => {
    writeFileSync(join(cwd, `intent-${i}.json`), JSON.stringify(intent));
    const r = spawnSync(ORACLE!, ['gate', 'eval', '--policy', join(EXAMPLE, 'policy.yaml'), '--intent', `intent-${i}.json`, '--json'], { cwd, encoding: 'utf8', timeout: 30_000 });
    return JSON.parse(r.stdout);
  });
}

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

describe('examples/workerd-durable-limits', () => {
  it('allows 3 reads a minute and 2 deletes an hour per identity, then blocks', () => inOneMinute(async (attempt) => {
    const identity = `reader-${Date.now()}-${attempt}`;
    const seen = [];
    for (const intent of [read(identity), read(identity), read(identity), read(identity), remove(identity), remove(identity), remove(identity)]) {
      const { status, body } = await gate(intent);
      expect(status).toBe(200);
      seen.push([body.verdict, body.rate_limit_used ?? body.destructive_budget_used, (body.reason_codes as string[]).find((c) => c.endsWith('_exceeded'))]);
    }
    expect(seen).toEqual([
      ['allow', 1, undefined],
      ['allow', 2, undefined],
      ['allow', 3, undefined],
      ['block', 3, 'rate_limit_exceeded'],
      ['require_approval', 1, undefined], // destructive apply needs approval; the budget still counts
      ['require_approval', 2, undefined],
      ['block', 2, 'destructive_budget_exceeded'],
    ]);
    // Another identity has limits of its own.
    expect((await gate(read(`${identity}-other`))).body).toMatchObject({ verdict: 'allow', rate_limit_used: 1 });
  }), SLOW);

  it.skipIf(!ORACLE)('decides as `gait gate eval --json` with a state file, field for field', () => inOneMinute(async (attempt) => {
    const identity = `oracle-${Date.now()}-${attempt}`;
    const intents = [read(identity), read(identity), read(identity), read(identity), remove(identity), remove(identity), remove(identity)];
    const ours = [];
    for (const intent of intents) ours.push((await gate(intent)).body);
    const theirs = oracleDecisions(intents);
    for (const [i, decision] of ours.entries()) {
      const expected = Object.fromEntries(Object.entries(theirs[i]!).filter(([k]) => !CLI_ONLY.includes(k)));
      expect(decision, `intent ${i}`).toEqual(expected);
    }
  }), SLOW);

  it('is exact under 8 clients × 50 concurrent reads: 3 allowed', () => inOneMinute(async (attempt) => {
    const identity = `crowd-${Date.now()}-${attempt}`;
    const answers = await Promise.all(Array.from({ length: 8 * 50 }, () => gate(read(identity))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const allowed = answers.filter((a) => a.body.verdict === 'allow').map((a) => a.body.rate_limit_used).sort();
    expect(allowed).toEqual([1, 2, 3]);
    expect(answers.filter((a) => a.body.verdict === 'block').length).toBe(397);
  }), SLOW);

  it('grants a write with a signed approval token (gate.enforce in the worker), refuses a forged one', async () => {
    const write = { tool_name: 'tool.write', args: { path: '/w/a.txt' }, targets: [{ kind: 'path', value: '/w/a.txt', operation: 'write' }], context: { identity: `writer-${Date.now()}`, workspace: '/w', risk_class: 'low' } };
    const first = await gate(write);
    expect(first.body).toMatchObject({ verdict: 'require_approval', reason_codes: ['approval_required_for_write', 'approval_token_missing'] });
    const key = parsePrivateKey(readFileSync(join(R.ROOT, 'test/fixtures/gait/scenarios/keys/approval_private.key'), 'utf8'));
    const token = await mintApprovalToken({
      intentDigest: first.body.intent_digest as string, policyDigest: first.body.policy_digest as string, ttl: '1h', scope: ['tool:tool.write'],
      approver: 'security', reasonCode: 'reviewed', now: new Date(), privateKey: key,
    });
    const granted = await gate({ intent: write, approval_tokens: [token] });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ verdict: 'allow', valid_approvals: 1 });
    expect(granted.body.reason_codes).toContain('approval_granted');
    const forged = await gate({ intent: write, approval_tokens: [{ ...token, approver_identity: 'mallory' }] });
    expect(forged.body).toMatchObject({ verdict: 'require_approval' });
    expect(forged.body.reason_codes).toContain('approval_token_signature_invalid');
  }, SLOW);

  it('answers an invalid intent with 400 and no verdict', async () => {
    const { status, body } = await gate({ tool_name: '' });
    expect(status).toBe(400);
    expect(body).toEqual({ ok: false, error: 'normalize intent: tool_name is required', error_category: 'invalid_input' });
  }, SLOW);
});
