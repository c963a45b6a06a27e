// Special files as inputs: every file the CLI reads must be a regular file. `/dev/zero` (size 0,
// endless) and a FIFO (open blocks until a writer comes) used to make the CLI read forever or hang.
// Each case runs the built CLI (bin/gait.js) as a child process, killed when it takes too long or
// its memory grows, so a regression fails here instead of hanging the suite.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, symlinkSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './run.js';

const BIN = fileURLToPath(new URL('../../bin/gait.js', import.meta.url));
const TIME_LIMIT_MS = 8000;
const RSS_LIMIT_BYTES = 400 * 1024 * 1024;

interface Run {
  exit: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, any>;
  killed?: string;
}

/** Runs the CLI; kills it when it runs longer than TIME_LIMIT_MS or grows past RSS_LIMIT_BYTES. */
function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed: string | undefined;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const kill = (why: string) => {
      if (killed) return;
      killed = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`still running after ${TIME_LIMIT_MS} ms`), TIME_LIMIT_MS);
    const watch = setInterval(() => {
      try {
        const pages = Number(readFileSync(`/proc/${child.pid}/statm`, 'utf8').split(' ')[1]);
        if (pages * 4096 > RSS_LIMIT_BYTES) kill(`memory grew past ${RSS_LIMIT_BYTES} bytes`);
      } catch {
        // gone already
      }
    }, 50);
    child.on('close', (exit) => {
      clearTimeout(timer);
      clearInterval(watch);
      let json: Record<string, any> = {};
      try {
        json = JSON.parse(stdout.trim());
      } catch {
        // not JSON
      }
      resolve({ exit, stdout, stderr, json, killed });
    });
  });
}

let dir = '';
const f = (name: string) => path.join(dir, name);
const APPROVAL_PUBLIC = FIXTURES + 'scenarios/keys/approval_public.key';
const APPROVAL_PRIVATE = FIXTURES + 'scenarios/keys/approval_private.key';
const DELEGATION_PUBLIC = FIXTURES + 'signed/delegation_public.key';
const TOKEN = FIXTURES + 'signed/approval_token_valid.json';
const DELEGATION_TOKEN = FIXTURES + 'signed/delegation_token_1.json';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gait-special-'));
  copyFileSync(FIXTURES + 'policy/base_high_risk.yaml', f('policy.yaml'));
  copyFileSync(FIXTURES + 'policy/intents/intent_read.json', f('low.json')); // risk low
  copyFileSync(FIXTURES + 'policy-test/intent.json', f('high.json')); // tool.write, risk high
  copyFileSync(FIXTURES + 'policy-test/require_approval.yaml', f('approval.yaml'));
  writeFileSync(f('delegation.yaml'), 'default_verdict: block\nrules:\n  - name: delegated\n    effect: allow\n    match:\n      tool_names: [tool.write]\n      require_delegation: true\n');
  writeFileSync(f('delegated.json'), JSON.stringify({
    tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
    targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }],
    delegation: { requester_identity: 'agent.specialist', scope_class: 'write', chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.specialist', scope_class: 'write' }] },
    context: { identity: 'agent.specialist', workspace: '/repo', risk_class: 'high' },
  }));
  writeFileSync(f('script.json'), JSON.stringify({
    tool_name: 'script', args: {}, context: { identity: 'u', workspace: '/tmp', risk_class: 'low' },
    script: { steps: [{ tool_name: 'tool.read', args: { path: '/tmp/a' }, targets: [{ kind: 'path', value: '/tmp/a', operation: 'read' }] }] },
  }));
  writeFileSync(f('trace.json'), '{}');
  execFileSync('mkfifo', [f('fifo'), f('fifo.json')]);
  symlinkSync('/dev/zero', f('zero.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Case = [name: string, args: (x: string) => string[], expected?: 'refused' | 'fail-closed' | 'warning'];

const PROD = ['--key-mode', 'prod'];
const CASES: Case[] = [
  ['gate eval --policy', (x) => ['gate', 'eval', '--policy', x, '--intent', f('low.json')]],
  ['gate eval --intent', (x) => ['gate', 'eval', '--policy', f('policy.yaml'), '--intent', x]],
  ['gate eval --wrkr-inventory (fail-closed)', (x) => ['gate', 'eval', '--policy', f('policy.yaml'), '--intent', f('high.json'), '--wrkr-inventory', x], 'fail-closed'],
  ['gate eval --wrkr-inventory (warning)', (x) => ['gate', 'eval', '--policy', f('policy.yaml'), '--intent', f('low.json'), '--wrkr-inventory', x], 'warning'],
  ['gate eval --private-key', (x) => ['gate', 'eval', '--policy', f('policy.yaml'), '--intent', f('low.json'), ...PROD, '--private-key', x]],
  ['gate eval --approval-token', (x) => ['gate', 'eval', '--policy', f('approval.yaml'), '--intent', f('high.json'), '--approval-token', x, '--approval-public-key', APPROVAL_PUBLIC]],
  ['gate eval --approval-token-chain', (x) => ['gate', 'eval', '--policy', f('approval.yaml'), '--intent', f('high.json'), '--approval-token', TOKEN, '--approval-token-chain', x, '--approval-public-key', APPROVAL_PUBLIC]],
  ['gate eval --approval-public-key', (x) => ['gate', 'eval', '--policy', f('approval.yaml'), '--intent', f('high.json'), '--approval-token', TOKEN, '--approval-public-key', x]],
  ['gate eval --delegation-token', (x) => ['gate', 'eval', '--policy', f('delegation.yaml'), '--intent', f('delegated.json'), '--delegation-token', x, '--delegation-public-key', DELEGATION_PUBLIC]],
  ['gate eval --delegation-public-key', (x) => ['gate', 'eval', '--policy', f('delegation.yaml'), '--intent', f('delegated.json'), '--delegation-token', DELEGATION_TOKEN, '--delegation-public-key', x]],
  ['gate eval --approved-script-registry (fail-closed)', (x) => ['gate', 'eval', '--policy', f('policy.yaml'), '--intent', f('high.json'), '--approved-script-registry', x], 'fail-closed'],
  ['gate eval --approved-script-registry (warning)', (x) => ['gate', 'eval', '--policy', f('policy.yaml'), '--intent', f('low.json'), '--approved-script-registry', x], 'warning'],
  ['gate eval --approved-script-public-key', (x) => ['gate', 'eval', '--policy', f('policy.yaml'), '--intent', f('low.json'), '--approved-script-registry', f('no-registry.json'), '--approved-script-public-key', x]],
  ['policy validate', (x) => ['policy', 'validate', x]],
  ['policy fmt', (x) => ['policy', 'fmt', x]],
  ['policy fmt --write', (x) => ['policy', 'fmt', x, '--write']],
  ['policy test <policy>', (x) => ['policy', 'test', x, f('low.json')]],
  ['policy test <intent>', (x) => ['policy', 'test', f('policy.yaml'), x]],
  ['policy simulate --policy', (x) => ['policy', 'simulate', '--policy', x, '--baseline', f('policy.yaml'), '--fixtures', f('low.json')]],
  ['policy simulate --baseline', (x) => ['policy', 'simulate', '--policy', f('policy.yaml'), '--baseline', x, '--fixtures', f('low.json')]],
  ['policy simulate --fixtures', (x) => ['policy', 'simulate', '--policy', f('policy.yaml'), '--baseline', f('policy.yaml'), '--fixtures', x]],
  ['trace verify <trace>', (x) => ['trace', 'verify', x, '--public-key', APPROVAL_PUBLIC]],
  ['trace verify --public-key', (x) => ['trace', 'verify', f('trace.json'), '--public-key', x]],
  ['delegate verify --token', (x) => ['delegate', 'verify', '--token', x, '--public-key', DELEGATION_PUBLIC]],
  ['delegate verify --public-key', (x) => ['delegate', 'verify', '--token', DELEGATION_TOKEN, '--public-key', x]],
  ['delegate mint --private-key', (x) => ['delegate', 'mint', '--delegator', 'a', '--delegate', 'b', '--scope', 'write', '--ttl', '1h', '--out', f('out-d.json'), ...PROD, '--private-key', x]],
  ['approve --private-key', (x) => ['approve', '--intent-digest', 'a'.repeat(64), '--policy-digest', 'b'.repeat(64), '--ttl', '1h', '--scope', 'tool:tool.write', '--approver', 'me', '--reason-code', 'R', '--out', f('out-a.json'), ...PROD, '--private-key', x]],
  ['approve-script --policy', (x) => ['approve-script', '--policy', x, '--intent', f('script.json'), '--registry', f('out-r.json'), '--approver', 'me', ...PROD, '--private-key', APPROVAL_PRIVATE]],
  ['approve-script --intent', (x) => ['approve-script', '--policy', f('policy.yaml'), '--intent', x, '--registry', f('out-r.json'), '--approver', 'me', ...PROD, '--private-key', APPROVAL_PRIVATE]],
  ['approve-script --registry', (x) => ['approve-script', '--policy', f('policy.yaml'), '--intent', f('script.json'), '--registry', x, '--approver', 'me', ...PROD, '--private-key', APPROVAL_PRIVATE]],
  ['approve-script --private-key', (x) => ['approve-script', '--policy', f('policy.yaml'), '--intent', f('script.json'), '--registry', f('out-r.json'), '--approver', 'me', ...PROD, '--private-key', x]],
  ['list-scripts --registry', (x) => ['list-scripts', '--registry', x]],
];

// --fixtures only takes .json paths: a FIFO named fifo.json and a link zero.json -> /dev/zero.
const specials = (name: string) => (name.includes('--fixtures') ? [f('zero.json'), f('fifo.json')] : ['/dev/zero', f('fifo')]);

describe.each(CASES)('%s: a special file is refused at once', (name, args, expected = 'refused') => {
  it.each([0, 1])('special file #%i', async (which) => {
    const special = specials(name)[which]!;
    const r = await run([...args(special), '--json'], dir);
    expect(r.killed, `gait ${args(special).join(' ')}`).toBeUndefined();
    if (expected === 'warning') {
      // Gait's rule for an optional input: an unreadable inventory or registry is only a warning.
      expect(r.exit).toBe(0);
      expect(r.json.warnings?.join('\n')).toMatch(/unavailable/);
      return;
    }
    expect(r.json.ok, r.stdout + r.stderr).toBe(false);
    expect(r.json.error).toContain(special);
    expect(r.json.error).toMatch(/not a regular file/);
    if (expected === 'fail-closed') {
      expect(r.exit).toBe(3);
      expect(r.json.error_code).toBe('policy_blocked');
    } else {
      expect(r.exit).toBe(6);
      expect(r.json.error_code).toBe('invalid_input');
    }
  }, TIME_LIMIT_MS + 5000);
});

describe('special files without --json', () => {
  it('names the file on stdout (as Gait prints errors) and exits 6', async () => {
    const r = await run(['policy', 'validate', f('fifo')], dir);
    expect(r.killed).toBeUndefined();
    expect(r.exit).toBe(6);
    expect(r.stdout).toBe(`policy validate error: read policy: read ${f('fifo')}: not a regular file\n`);
  }, TIME_LIMIT_MS + 5000);
});
