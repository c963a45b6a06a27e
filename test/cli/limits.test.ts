// Rate limits and destructive budgets (policy.md §3.6, intent.md §7.2, E20), with the state file
// shared by concurrent processes.
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gait-limits-'));

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

function counters(file: string): Record<string, number> {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  expect(doc.schema_id).toBe('gait.gate.rate_limit_state');
  return Object.fromEntries(doc.counters.map((c: { key: string; count: number }) => [c.key, c.count]));
}

describe('rate limits', () => {
  it('allows `requests` calls per window, then blocks; a new window starts over', async () => {
    const dir = tempDir();
    const policy = path.join(dir, 'p.yaml');
    writeFileSync(policy, RATE_POLICY);
    const state = path.join(dir, 'state.json');
    const run = (time: string) =>
      gait(['gate', 'eval', '--policy', policy, '--intent', FIXTURES + 'policy-test/intent.json', '--rate-limit-state', state, '--evaluation-time', time, '--json'], { cwd: dir });
    const a = await run('2026-03-10T14:30:05Z');
    expect(a.exit).toBe(0);
    // Gait prints the scope key; the state file keeps the full counter key (issue 10 case 02).
    expect(a.json).toMatchObject({ rate_limit_scope: 'tool_identity', rate_limit_key: 'tool.write|example-user', rate_limit_used: 1, rate_limit_remaining: 1 });
    expect(counters(state)).toEqual({ 'minute|tool_identity|2026-03-10T14:30:00Z|tool.write|example-user': 1 });
    const b = await run('2026-03-10T14:30:40Z');
    expect(b.exit).toBe(0);
    expect(b.json.rate_limit_used).toBe(2);
    expect(b.json.rate_limit_remaining).toBeUndefined();
    const c = await run('2026-03-10T14:30:59Z');
    expect(c.exit).toBe(3);
    expect(c.json.verdict).toBe('block');
    expect(c.json.reason_codes).toEqual(['matched_rule_limited_write', 'rate_limit_exceeded']);
    expect(c.json.violations).toEqual(['rate_limit_exceeded']);
    const d = await run('2026-03-10T14:31:00Z');
    expect(d.exit).toBe(0);
    expect(counters(state)).toEqual({ 'minute|tool_identity|2026-03-10T14:31:00Z|tool.write|example-user': 1 });
  });

  it('rejects a corrupt state file without allowing', async () => {
    const dir = tempDir();
    const policy = path.join(dir, 'p.yaml');
    writeFileSync(policy, RATE_POLICY);
    const state = path.join(dir, 'state.json');
    writeFileSync(state, '{"counters": [ {"key": 1');
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', FIXTURES + 'policy-test/intent.json', '--rate-limit-state', state, '--json'], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toMatch(/parse rate limit state/);
    expect((await gait(['gate', 'eval', '--policy', policy, '--intent', FIXTURES + 'policy-test/intent.json', '--evaluation-time', 'not-a-time', '--json'], { cwd: dir })).exit).toBe(6);
  });
});

describe('destructive budget (E20)', () => {
  it('counts plan-phase script deletes; the second call in the window is blocked', async () => {
    const dir = tempDir();
    const policy = path.join(dir, 'p.yaml');
    writeFileSync(policy, `default_verdict: block
rules:
  - name: destructive-script-budget
    effect: allow
    match:
      endpoint_classes: [fs.delete]
    destructive_budget:
      requests: 1
      scope: tool_identity
      window: minute
`);
    const intent = path.join(dir, 'i.json');
    writeFileSync(intent, JSON.stringify({
      tool_name: 'script',
      script: { steps: [{ tool_name: 'tool.delete', args: { path: '/tmp/x' }, targets: [{ kind: 'path', value: '/tmp/x', operation: 'delete', endpoint_class: 'fs.delete' }] }] },
      context: { identity: 'alice', workspace: '/tmp/w', risk_class: 'low', phase: 'plan' },
    }));
    const state = path.join(dir, 'state.json');
    const run = () => gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--rate-limit-state', state, '--evaluation-time', '2026-02-06T00:00:10Z', '--json'], { cwd: dir });
    const first = await run();
    expect(first.exit).toBe(0);
    expect(first.json.verdict).toBe('dry_run');
    expect(first.json.reason_codes).toEqual(['matched_rule_destructive_script_budget', 'plan_phase_non_destructive']);
    // Gait prints the scope key; the state file keeps the full counter key (issue 10 case 02).
    expect(first.json.destructive_budget_key).toBe('script|alice');
    expect(counters(state)).toEqual({ 'minute|tool_identity|2026-02-06T00:00:00Z|script|alice': 1 });
    const second = await run();
    expect(second.exit).toBe(3);
    expect(second.json.reason_codes).toContain('destructive_budget_exceeded');
    expect(second.json.violations).toEqual(['destructive_budget_exceeded']);
    expect(second.json.destructive_budget_key).toBe('script|alice');
  });

  it('a single intent: the printed key carries the `destructive_budget|` prefix, as in the state file (Gait v1.3.6)', async () => {
    const dir = tempDir();
    const policy = path.join(dir, 'p.yaml');
    writeFileSync(policy, `default_verdict: allow
rules:
  - name: r
    effect: allow
    match:
      tool_names: [tool.delete]
    rate_limit:
      requests: 5
      scope: identity
      window: hour
    destructive_budget:
      requests: 3
      scope: tool
`);
    const intent = path.join(dir, 'i.json');
    writeFileSync(intent, JSON.stringify({
      tool_name: 'tool.delete', args: {}, targets: [{ kind: 'path', value: '/tmp/x', operation: 'delete' }],
      context: { identity: 'alice', workspace: '/repo', risk_class: 'low' },
    }));
    const state = path.join(dir, 'state.json');
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--rate-limit-state', state, '--evaluation-time', '2026-12-03T11:31:10Z', '--json'], { cwd: dir });
    expect(r.json).toMatchObject({
      rate_limit_key: 'alice', rate_limit_scope: 'identity', rate_limit_used: 1, rate_limit_remaining: 4,
      destructive_budget_key: 'destructive_budget|tool.delete', destructive_budget_scope: 'tool', destructive_budget_used: 1, destructive_budget_remaining: 2,
    });
    // The state file Gait v1.3.6 writes for this run.
    expect(counters(state)).toEqual({
      'hour|identity|2026-12-03T11:00:00Z|alice': 1,
      'minute|tool|2026-12-03T11:31:00Z|destructive_budget|tool.delete': 1,
    });
  });
});

describe('concurrent processes share one state file', () => {
  const bin = fileURLToPath(new URL('../../bin/gait.js', import.meta.url));
  const runProcess = (args: string[], cwd: string) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code: code ?? -1, out }));
    });

  for (const [requests, processes, allowed] of [[5, 12, 5], [100, 12, 12]] as const) {
    it(`${processes} processes at once, limit ${requests}: exactly ${allowed} allowed, no count lost`, async () => {
      const dir = tempDir();
      const policy = path.join(dir, 'p.yaml');
      writeFileSync(policy, RATE_POLICY.replace('requests: 2', `requests: ${requests}`).replace('window: minute', 'window: hour'));
      const state = path.join(dir, 'state.json');
      const args = ['gate', 'eval', '--policy', policy, '--intent', FIXTURES + 'policy-test/intent.json', '--rate-limit-state', state, '--evaluation-time', '2026-03-10T14:30:00Z', '--json'];
      const results = await Promise.all(Array.from({ length: processes }, (_, i) => runProcess([...args, '--trace-out', `trace-${i}.json`], dir)));
      const codes = results.map((r) => r.code).sort();
      expect(codes.filter((c) => c === 0)).toHaveLength(allowed);
      expect(codes.filter((c) => c === 3)).toHaveLength(processes - allowed);
      expect(Object.values(counters(state))).toEqual([allowed]);
      for (const r of results) expect(JSON.parse(r.out).ok).toBe(true);
    }, 60_000);
  }
});
