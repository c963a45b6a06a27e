// `gait mcp serve --workers <n>` (ours): one address served by n processes sharing the trace
// folder. Every request answered is judged and leaves exactly one trace under a name no other
// worker picks; start-up failures print once, as one server would; a stop ends every worker; a
// worker that dies is replaced. Runs the built CLI (bin/gait.js), as users do.
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../cli/run.js';
import { traceStamps } from '../../bindings/cli/mcp-serve.js';
import { freePort } from '../runtimes/runtimes.mjs';

const GAIT = path.join(REPO, 'bin/gait.js');
const POLICY = path.join(REPO, 'test/fixtures/gait/mcp/policies/rules.yaml');
const root = mkdtempSync(path.join(tmpdir(), 'gait-workers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CALLS = [
  { verdict: 'allow', call: { name: 'tool.read', args: { path: '/repo/in.txt' }, targets: [{ kind: 'path', value: '/repo/in.txt', operation: 'read' }], context: { identity: 'alice', workspace: '/repo', risk_class: 'low' } } },
  { verdict: 'block', call: { name: 'tool.exec', args: { command: 'rm -rf /' }, context: { identity: 'bob', workspace: '/repo', risk_class: 'high' } } },
  { verdict: 'require_approval', call: { name: 'tool.write', args: { path: '/repo/out.txt' }, targets: [{ kind: 'path', value: '/repo/out.txt', operation: 'write' }], context: { identity: 'alice', workspace: '/repo', risk_class: 'high' } } },
];


interface Run { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> }

function start(dir: string, args: string[]): Run {
  const child = spawn(process.execPath, [GAIT, 'mcp', 'serve', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function ready(port: number, run: Run): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (up) return;
    if (run.child.exitCode !== null) throw new Error(`server exited: ${run.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not start: ${run.err()}`);
}

/** The processes whose parent is `pid`. */
function children(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Until traces from both workers (even and odd timestamps) show up: both have started. */
async function bothServing(port: number, traces: string): Promise<void> {
  for (let wave = 0; wave < 100; wave++) {
    await Promise.all(Array.from({ length: 8 }, (_, i) => evaluate(port, i)));
    const residues = new Set(readdirSync(traces).map((f) => Number(/\.(\d{9})\.json$/.exec(f)?.[1]) % 2));
    if (residues.has(0) && residues.has(1)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('one worker never answered');
}

/** One evaluation on a new connection (the primary hands each connection to the next worker). */
function evaluate(port: number, i: number): Promise<{ status: number; body: { verdict?: string; trace_path: string } }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/evaluate', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ call: CALLS[i % 3]!.call }));
  });
}

describe('mcp serve --workers', () => {
  it('traces: a worker\'s timestamps are ≡ its index mod the worker count, strictly increasing', () => {
    for (const [index, count] of [[0, 2], [1, 2], [3, 4]] as const) {
      const next = traceStamps({ index, count });
      let last = '';
      for (let i = 0; i < 200; i++) {
        const stamp = next();
        expect(Number(stamp.slice(-9)) % count, stamp).toBe(index); // 1e9 is a multiple of 2 and 4
        expect(stamp > last).toBe(true);
        last = stamp;
      }
    }
  });

  it('serves from n processes: every answer judged, one trace each, names from both workers', async () => {
    const dir = mkdtempSync(path.join(root, 'serve-'));
    const port = await freePort();
    const run = start(dir, ['--policy', POLICY, '--listen', `127.0.0.1:${port}`, '--trace-dir', 'traces', '--workers', '2']);
    try {
      await ready(port, run);
      expect(run.out()).toBe(`mcp serve: listening=127.0.0.1:${port} adapter=mcp\n`);
      expect(children(run.child.pid!)).toHaveLength(2);
      const tracesDir = path.join(dir, 'traces');
      await bothServing(port, tracesDir);
      const before = new Set(readdirSync(tracesDir));
      const answers = [];
      for (let wave = 0; wave < 12; wave++) answers.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => evaluate(port, wave * 20 + i)))));
      answers.forEach((a, i) => {
        expect(a.status).toBe(200);
        expect(a.body.verdict).toBe(CALLS[i % 3]!.verdict);
      });
      const traces = readdirSync(tracesDir).filter((f) => f.endsWith('.json') && !before.has(f));
      expect(traces).toHaveLength(240);
      expect(new Set(traces)).toEqual(new Set(answers.map((a) => path.basename(a.body.trace_path))));
      const residues = new Set(traces.map((f) => Number(/\.(\d{9})\.json$/.exec(f)![1]) % 2));
      expect(residues).toEqual(new Set([0, 1]));
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(143);
      expect(children(run.child.pid!)).toEqual([]);
      expect(run.err()).toBe('');
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('a worker that dies is replaced; the address keeps answering', async () => {
    const dir = mkdtempSync(path.join(root, 'replace-'));
    const port = await freePort();
    const run = start(dir, ['--policy', POLICY, '--listen', `127.0.0.1:${port}`, '--trace-dir', 'traces', '--workers', '2']);
    try {
      await ready(port, run);
      await bothServing(port, path.join(dir, 'traces')); // a worker killed while starting fails the start, by design
      const [first] = children(run.child.pid!);
      process.kill(first!, 'SIGKILL');
      // One read of /proc per look: between the dead worker's reaping and its replacement's fork
      // the primary has one child, and two reads could each see a different half of that.
      let now = children(run.child.pid!);
      for (let i = 0; i < 100 && !(now.length === 2 && !now.includes(first!)); i++) {
        await new Promise((r) => setTimeout(r, 50));
        now = children(run.child.pid!);
      }
      expect(now, run.err()).toHaveLength(2);
      expect(now).not.toContain(first);
      await new Promise((r) => setTimeout(r, 300)); // the replacement listens
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => evaluate(port, i)));
      expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
      expect(run.err()).toMatch(/^mcp serve: worker \d \(pid \d+\) exited \(SIGKILL\); starting another\n$/);
      run.child.kill('SIGINT');
      expect(await run.exit).toBe(130);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('start-up failures print once, as one server would: a busy port, a bad --workers', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const dir = mkdtempSync(path.join(root, 'fail-'));
      const one = start(dir, ['--policy', POLICY, '--listen', `127.0.0.1:${port}`]);
      const two = start(dir, ['--policy', POLICY, '--listen', `127.0.0.1:${port}`, '--workers', '2']);
      const [c1, c2] = await Promise.all([one.exit, two.exit]);
      expect(c1).toBe(6);
      expect(c2).toBe(c1);
      expect(two.out()).toBe(one.out());
      expect(two.err()).toBe(one.err());
      expect(one.out() + one.err()).toContain('bind: address already in use');
    } finally {
      busy.close();
    }
    for (const [value, message] of [['0', '--workers must be >= 1'], ['x', 'invalid value "x" for flag -workers']]) {
      const run = start(root, ['--json', '--policy', POLICY, '--workers', value!]);
      expect(await run.exit).toBe(6);
      expect(JSON.parse(run.out())).toMatchObject({ ok: false, error: expect.stringContaining(message) });
    }
    expect(existsSync(path.join(root, 'gait-out'))).toBe(false);
  }, 60_000);
});
