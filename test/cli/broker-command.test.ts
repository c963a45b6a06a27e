// Command credential broker as a real process (bin/gait.js over dist/): the 5 s deadline and the
// 16 KiB output bound hold even when the command leaves descendants holding its stdout, and
// nothing it started outlives the gate (cli.md §2.2 `--credential-command`, §2.3 step 19).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './run.js';

const BIN = fileURLToPath(new URL('../../bin/gait.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'gait-broker-cmd-'));
const file = (name: string, content: string, mode = 0o644) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, mode);
  return p;
};
const POLICY = file('broker.yaml', `default_verdict: block
rules:
  - name: brokered-write
    effect: allow
    require_broker_credential: true
    broker_reference: egress
    match:
      tool_names: [tool.write]
`);
const INTENT = FIXTURES + 'policy-test/intent.json';
/** Longer than the broker deadline, shorter than the test's own guard: a hang shows as a failure. */
const GUARD_MS = 12_000;

interface Run { exit: number | null; stdout: string; stderr: string; ms: number; killedByGuard: boolean }

/** Runs the CLI in its own process group; the guard kills that whole group, so a hang cannot leak processes. */
function runGait(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killedByGuard = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const guard = setTimeout(() => {
      killedByGuard = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ exit: null, stdout, stderr, ms: Date.now() - started, killedByGuard });
    }, GUARD_MS);
    child.on('exit', (code) => {
      clearTimeout(guard);
      // Do not wait for 'close': a leaked descendant could hold our pipes open too.
      setTimeout(() => resolve({ exit: code, stdout, stderr, ms: Date.now() - started, killedByGuard }), 50);
    });
  });
}

/** Running (a zombie waiting for init to reap it counts as gone). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return existsSync('/proc/self/stat') ? false : true;
  }
};

async function expectGone(pidFile: string) {
  expect(existsSync(pidFile), `${pidFile} written by the broker script`).toBe(true);
  const pids = readFileSync(pidFile, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  for (let i = 0; i < 20 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids) {
    if (alive(pid)) {
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      expect.fail(`broker descendant ${pid} outlived gate eval: ${stat}`);
    }
  }
}

function expectBlocked(r: Run, maxMs: number) {
  expect(r.killedByGuard, `gate eval still running after ${GUARD_MS} ms`).toBe(false);
  expect(r.ms).toBeLessThan(maxMs);
  expect(r.exit).toBe(3);
  const out = JSON.parse(r.stdout.trim());
  expect(out.verdict).toBe('block');
  expect(out.reason_codes).toEqual(['broker_credential_missing', 'matched_rule_brokered_write']);
  expect(out.violations).toEqual(['broker_credential_missing']);
  expect(out.credential_ref).toBeUndefined();
}

const VALID = `'{"credential_ref":"vault:lease/1"}'`;

describe('command broker bounds', () => {
  it('the 5 s deadline holds when descendants keep stdout open, and they are killed', async () => {
    const cases = {
      // The command answers and exits, but a background child still holds the pipe.
      background: `#!/bin/sh\n(sleep 8; echo late > "$2") &\necho $! > "$1"\necho ${VALID}\n`,
      // The command itself waits on a grandchild (as \`sh -c 'sleep 60'\` can).
      grandchild: `#!/bin/sh\nsleep 60 &\necho $! > "$1"\nwait\n`,
      // More than 16 KiB of output, then a hang: bounded without waiting for the deadline.
      flood: `#!/bin/sh\nsleep 60 &\necho $! > "$1"\nhead -c 20000 /dev/zero | tr '\\0' a\nwait\n`,
    };
    const started = Date.now();
    const runs = await Promise.all(Object.entries(cases).map(async ([name, body]) => {
      const script = file(`${name}.sh`, body, 0o755);
      const cwd = mkdtempSync(path.join(dir, `${name}-`));
      const pidFile = path.join(cwd, 'pids');
      const marker = path.join(cwd, 'late');
      const r = await runGait(['gate', 'eval', '--policy', POLICY, '--intent', INTENT, '--json',
        '--credential-broker', 'command', '--credential-command', script, '--credential-command-args', `${pidFile},${marker}`], cwd);
      return { name, r, pidFile, marker };
    }));
    for (const { name, r, pidFile } of runs) {
      expect.soft(r.stderr, name).toBe('');
      expectBlocked(r, name === 'flood' ? 4000 : 8000);
      await expectGone(pidFile);
    }
    // The background child would have written its marker at 8 s.
    await new Promise((r) => setTimeout(r, Math.max(0, started + 9000 - Date.now())));
    for (const { marker } of runs) expect(existsSync(marker)).toBe(false);
  }, 40_000);

  it('more than 16 KiB of output gives no credential even when the command exits at once', async () => {
    const script = file('big.sh', `#!/bin/sh\necho $$ > "$1"\nprintf '{"credential_ref":"vault:lease/1","pad":"'\nhead -c 17000 /dev/zero | tr '\\0' a\necho '"}'\n`, 0o755);
    const cwd = mkdtempSync(path.join(dir, 'big-'));
    const r = await runGait(['gate', 'eval', '--policy', POLICY, '--intent', INTENT, '--json',
      '--credential-broker', 'command', '--credential-command', script, '--credential-command-args', path.join(cwd, 'pids')], cwd);
    expectBlocked(r, 4000);
  }, 20_000);

  it('a gate eval stopped by SIGTERM or SIGINT while the broker runs takes the broker group with it', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const script = file(`slow-${signal}.sh`, `#!/bin/sh\nsleep 30 &\necho $$ $! > "$1"\nwait\n`, 0o755);
      const cwd = mkdtempSync(path.join(dir, `signal-${signal}-`));
      const pidFile = path.join(cwd, 'pids');
      const child = spawn(process.execPath, [BIN, 'gate', 'eval', '--policy', POLICY, '--intent', INTENT, '--json',
        '--credential-broker', 'command', '--credential-command', script, '--credential-command-args', pidFile], { cwd, stdio: 'ignore' });
      const exited = new Promise<{ code: number | null; sig: string | null }>((r) => child.on('exit', (code, sig) => r({ code, sig })));
      for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 30));
      await new Promise((r) => setTimeout(r, 100));
      child.kill(signal);
      const { code, sig } = await exited;
      expect(code === null ? sig : code, `gate eval ended by ${signal}`).not.toBe(0);
      await expectGone(pidFile);
    }
  }, 20_000);
});
