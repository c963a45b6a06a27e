// Special files as outputs: the CLI writes atomically (temporary file + rename), which used to
// replace whatever was at the output path: `--trace-out /dev/null` as root turned /dev/null into a
// regular file, a FIFO or a symbolic link became a regular file. Now a target that is not a
// regular file is refused (exit 6, the path named) and left alone; a symbolic link is followed and
// the file it points to is replaced, the link staying a link. gate eval checks its output paths
// before it consumes rate-limit counts or writes anything.
import { mkdtempSync, rmSync, writeFileSync, readFileSync, symlinkSync, lstatSync, readlinkSync, existsSync, readdirSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gait, FIXTURES, type CliRun } from './run.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'gait-outputs-'));
  dirs.push(d);
  copyFileSync(FIXTURES + 'policy/base_high_risk.yaml', path.join(d, 'policy.yaml'));
  copyFileSync(FIXTURES + 'policy/intents/intent_read.json', path.join(d, 'intent.json'));
  return d;
}
const mkfifo = (p: string) => execFileSync('mkfifo', [p]);
const isFifo = (p: string) => lstatSync(p).isFIFO();

function expectRefused(r: CliRun, file: string, kind: RegExp): void {
  expect(r.exit, r.stdout + r.stderr).toBe(6);
  expect(r.json.ok).toBe(false);
  expect(r.json.error_code).toBe('invalid_input');
  expect(r.json.error).toContain(file);
  expect(r.json.error).toMatch(kind);
}

const evalArgs = (d: string, ...more: string[]) => ['gate', 'eval', '--policy', path.join(d, 'policy.yaml'), '--intent', path.join(d, 'intent.json'), ...more, '--json'];

/** Root can mknod: a copy of /dev/null (1,3) or /dev/full (1,7) stands in for the real device. */
const canMknod = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = path.join(tmpdir(), `gait-mknod-outputs-${process.pid}`);
  try {
    execFileSync('mknod', [probe, 'c', '1', '3']);
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
})();

describe('gate eval --trace-out', () => {
  it('refuses a FIFO and leaves it a FIFO', async () => {
    const d = tempDir();
    const out = path.join(d, 'fifo');
    mkfifo(out);
    expectRefused(await gait(evalArgs(d, '--trace-out', out), { cwd: d }), out, /is a FIFO, not a regular file/);
    expect(isFifo(out)).toBe(true);
  });

  it('refuses a symbolic link to /dev/null and leaves the link alone', async () => {
    const d = tempDir();
    const link = path.join(d, 'null-link');
    symlinkSync('/dev/null', link);
    expectRefused(await gait(evalArgs(d, '--trace-out', link), { cwd: d }), link, /is a character device, not a regular file/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('/dev/null');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('refuses a directory with exit 6 (was an internal error)', async () => {
    const d = tempDir();
    const out = path.join(d, 'folder');
    execFileSync('mkdir', [out]);
    expectRefused(await gait(evalArgs(d, '--trace-out', out), { cwd: d }), out, /is a directory, not a regular file/);
    expect(readdirSync(out)).toEqual([]);
  });

  it.skipIf(!canMknod)('refuses device nodes (copies of /dev/null and /dev/full) and leaves them devices', async () => {
    const d = tempDir();
    for (const [name, minor] of [['null', '3'], ['full', '7']] as const) {
      const device = path.join(d, name);
      execFileSync('mknod', [device, 'c', '1', minor]);
      expectRefused(await gait(evalArgs(d, '--trace-out', device), { cwd: d }), device, /is a character device, not a regular file/);
      expect(lstatSync(device).isCharacterDevice()).toBe(true);
    }
  });

  it('follows a symbolic link to a regular file: the file is replaced, the link stays a link', async () => {
    const d = tempDir();
    const real = path.join(d, 'real-trace.json');
    writeFileSync(real, 'old');
    const link = path.join(d, 'trace-link.json');
    symlinkSync('real-trace.json', link);
    const r = await gait(evalArgs(d, '--trace-out', link), { cwd: d });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.trace_path).toBe(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8')).schema_id).toBe('gait.gate.trace');
    expect(readdirSync(d).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a symbolic link to a missing file and creates nothing', async () => {
    const d = tempDir();
    const link = path.join(d, 'dangling.json');
    symlinkSync(path.join(d, 'nowhere', 'trace.json'), link);
    expectRefused(await gait(evalArgs(d, '--trace-out', link), { cwd: d }), link, /symbolic link to a missing file/);
    expect(existsSync(path.join(d, 'nowhere'))).toBe(false);
  });

  it('refuses a FIFO at the default trace path (trace_<id>.json in the working directory)', async () => {
    const probe = tempDir();
    const first = await gait(evalArgs(probe), { cwd: probe });
    expect(first.exit).toBe(0);
    const d = tempDir();
    const fifo = path.join(d, first.json.trace_path);
    mkfifo(fifo);
    expectRefused(await gait(evalArgs(d), { cwd: d }), first.json.trace_path, /is a FIFO/);
    expect(isFifo(fifo)).toBe(true);
  });
});

const RATE_POLICY = `default_verdict: block
rules:
  - name: limited-write
    effect: allow
    match:
      tool_names: [tool.write]
    rate_limit:
      requests: 5
      window: minute
`;

describe('gate eval checks every output path before it counts or writes anything', () => {
  const limited = (d: string, ...more: string[]) => {
    writeFileSync(path.join(d, 'rate.yaml'), RATE_POLICY);
    return ['gate', 'eval', '--policy', path.join(d, 'rate.yaml'), '--intent', FIXTURES + 'policy-test/intent.json', '--rate-limit-state', path.join(d, 'state.json'), ...more, '--json'];
  };

  it('a FIFO --trace-out consumes no rate-limit count', async () => {
    const d = tempDir();
    const fifo = path.join(d, 'fifo');
    mkfifo(fifo);
    expectRefused(await gait(limited(d, '--trace-out', fifo), { cwd: d }), fifo, /is a FIFO/);
    expect(existsSync(path.join(d, 'state.json'))).toBe(false);
  });

  it('a --trace-out that climbs out with .. consumes no rate-limit count', async () => {
    const d = tempDir();
    const r = await gait(limited(d, '--trace-out', '../trace.json'), { cwd: d });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe('relative trace path must not traverse parent directories');
    expect(existsSync(path.join(d, 'state.json'))).toBe(false);
  });

  it('a FIFO --approval-audit-out fails before the trace is written', async () => {
    const d = tempDir();
    const fifo = path.join(d, 'audit-fifo');
    mkfifo(fifo);
    const trace = path.join(d, 'trace.json');
    const r = await gait(['gate', 'eval', '--policy', FIXTURES + 'policy-test/require_approval.yaml', '--intent', FIXTURES + 'policy-test/intent.json', '--trace-out', trace, '--approval-audit-out', fifo, '--json'], { cwd: d });
    expectRefused(r, fifo, /is a FIFO/);
    expect(existsSync(trace)).toBe(false);
    expect(isFifo(fifo)).toBe(true);
  });

  it('a FIFO --delegation-audit-out and --credential-evidence-out are refused too', async () => {
    const d = tempDir();
    for (const flag of ['--delegation-audit-out', '--credential-evidence-out']) {
      const fifo = path.join(d, `fifo${flag}`);
      mkfifo(fifo);
      expectRefused(await gait(evalArgs(d, flag, fifo), { cwd: d }), fifo, /is a FIFO/);
      expect(isFifo(fifo)).toBe(true);
    }
    expect(readdirSync(d).filter((n) => n.startsWith('trace_'))).toEqual([]);
  });
});

describe('other writers', () => {
  it('keys init --force refuses a FIFO at the private key path and writes neither key', async () => {
    const d = tempDir();
    const fifo = path.join(d, 'gait_private.key');
    mkfifo(fifo);
    expectRefused(await gait(['keys', 'init', '--out-dir', d, '--force', '--json'], { cwd: d }), fifo, /^write private key: .*is a FIFO/);
    expect(isFifo(fifo)).toBe(true);
    expect(existsSync(path.join(d, 'gait_public.key'))).toBe(false);
  });

  it('keys init --force refuses a FIFO at the public key path and writes neither key', async () => {
    const d = tempDir();
    const fifo = path.join(d, 'gait_public.key');
    mkfifo(fifo);
    expectRefused(await gait(['keys', 'init', '--out-dir', d, '--force', '--json'], { cwd: d }), fifo, /^write public key: .*is a FIFO/);
    expect(existsSync(path.join(d, 'gait_private.key'))).toBe(false);
  });

  it('policy init --force refuses a FIFO', async () => {
    const d = tempDir();
    const fifo = path.join(d, 'out.yaml');
    mkfifo(fifo);
    expectRefused(await gait(['policy', 'init', 'baseline-highrisk', '--out', fifo, '--force', '--json'], { cwd: d }), fifo, /is a FIFO/);
    expect(isFifo(fifo)).toBe(true);
  });

  it('policy fmt --write through a symbolic link rewrites the file, the link stays a link', async () => {
    const d = tempDir();
    writeFileSync(path.join(d, 'real.yaml'), 'default_verdict:   block\n');
    const link = path.join(d, 'link.yaml');
    symlinkSync('real.yaml', link);
    const r = await gait(['policy', 'fmt', link, '--write', '--json'], { cwd: d });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.written).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(d, 'real.yaml'), 'utf8')).not.toBe('default_verdict:   block\n');
  });

  it.each([
    ['approve', (out: string) => ['approve', '--intent-digest', 'a'.repeat(64), '--policy-digest', 'b'.repeat(64), '--ttl', '1h', '--scope', 'tool:tool.write', '--approver', 'me', '--reason-code', 'R', '--out', out, '--json'], /^write approval token: /],
    ['delegate mint', (out: string) => ['delegate', 'mint', '--delegator', 'a', '--delegate', 'b', '--scope', 'write', '--ttl', '1h', '--out', out, '--json'], /^write delegation token: /],
  ])('%s --out refuses a FIFO', async (_name, args, prefix) => {
    const d = tempDir();
    const fifo = path.join(d, 'token.json');
    mkfifo(fifo);
    const r = await gait(args(fifo), { cwd: d });
    expectRefused(r, fifo, /is a FIFO/);
    expect(r.json.error).toMatch(prefix);
    expect(isFifo(fifo)).toBe(true);
  });

  it('approve-script through a symbolic link to the registry updates the file, the link stays a link', async () => {
    const d = tempDir();
    writeFileSync(path.join(d, 'script.json'), JSON.stringify({
      tool_name: 'script', args: {}, context: { identity: 'u', workspace: '/tmp', risk_class: 'low' },
      script: { steps: [{ tool_name: 'tool.read', args: { path: '/tmp/a' }, targets: [{ kind: 'path', value: '/tmp/a', operation: 'read' }] }] },
    }));
    writeFileSync(path.join(d, 'real-registry.json'), '');
    const link = path.join(d, 'registry.json');
    symlinkSync('real-registry.json', link);
    const r = await gait(['approve-script', '--policy', path.join(d, 'policy.yaml'), '--intent', path.join(d, 'script.json'), '--registry', link, '--approver', 'me', '--key-mode', 'prod', '--private-key', FIXTURES + 'scenarios/keys/approval_private.key', '--json'], { cwd: d });
    expect(r.exit, r.stdout).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(path.join(d, 'real-registry.json'), 'utf8')).entries).toHaveLength(1);
  });
});

describe('an output folder that cannot be created under /proc does not hang (Node\'s recursive mkdir retries for ever there)', () => {
  // Gait v1.3.6: `gate eval --trace-out /proc/x/t.json` exits 6 with
  // "create trace directory: mkdir /proc/x: no such file or directory"; keys init likewise.
  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms))]);
  const cases: [string, (d: string) => string[]][] = [
    ['gate eval --trace-out', (d) => evalArgs(d, '--trace-out', '/proc/gait-wasm-x/t.json')],
    ['gate eval --rate-limit-state', (d) => ['gate', 'eval', '--policy', path.join(d, 'rl.yaml'), '--intent', path.join(d, 'intent.json'), '--trace-out', path.join(d, 't.json'), '--rate-limit-state', '/proc/gait-wasm-x/state.json', '--json']],
    ['keys init --out-dir', () => ['keys', 'init', '--out-dir', '/proc/gait-wasm-x', '--json']],
    ['delegate mint --out', () => ['delegate', 'mint', '--delegator', 'a', '--delegate', 'b', '--scope', 's', '--ttl', '1h', '--out', '/proc/gait-wasm-x/t.json', '--json']],
  ];
  it.skipIf(process.platform !== 'linux').each(cases)('%s', async (_name, args) => {
    const d = tempDir();
    writeFileSync(path.join(d, 'rl.yaml'), 'default_verdict: block\nrules:\n- name: r\n  effect: allow\n  match:\n    tool_names: [tool.read]\n  rate_limit:\n    requests: 5\n');
    const r = await within(gait(args(d), { cwd: d }), 10_000);
    expect(r.exit, r.stdout).toBe(6);
    expect(r.json.ok).toBe(false);
    // Exit and cause as Gait's; the wording names our output file (Gait: `create <what> directory: mkdir <dir>: …`).
    expect(r.json.error).toMatch(/mkdir \/proc\/gait-wasm-x\S*: no such file or directory$/);
  }, 15_000);
});
