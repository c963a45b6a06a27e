// `gait mcp serve` beyond the fixtures: the listen-address rules, start-up validation order and
// wording, listen failures after the start-up line, retention, and the node:http adapter
// (oversized bodies, keep-alive, graceful stop). Expectations come from Gait v1.3.6 runs.
import { request as httpRequest, Agent } from 'node:http';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMcpServe } from '../../bindings/cli/mcp-serve.js';
import { isLoopbackHost, listenPort, splitHostPort } from '../../bindings/mcp/listen-address.js';
import { retentionHook } from '../../bindings/mcp/retention-node.js';
import { serveFetchHandler, type NodeFetchServer } from '../../bindings/mcp/serve-node.js';
import { copyMcpFixtures } from './fixture-cases.js';
import { freePort } from '../runtimes/runtimes.mjs';

describe('listen address', () => {
  it('splits host:port with Go\'s errors', () => {
    expect(splitHostPort('127.0.0.1:8787')).toEqual({ host: '127.0.0.1', port: '8787' });
    expect(splitHostPort('[::1]:80')).toEqual({ host: '::1', port: '80' });
    expect(splitHostPort('127.0.0.1:')).toEqual({ host: '127.0.0.1', port: '' });
    expect(splitHostPort(':80')).toEqual({ host: '', port: '80' });
    const errors: Array<[string, string]> = [
      ['nohostport', 'address nohostport: missing port in address'],
      ['127.0.0.1:abc:1', 'address 127.0.0.1:abc:1: too many colons in address'],
      ['[::1]', 'address [::1]: missing port in address'],
      ['[::1:80', "address [::1:80: missing ']' in address"],
      ['::1:80', 'address ::1:80: too many colons in address'],
      ['[::1]x:80', 'address [::1]x:80: missing port in address'],
      ['a]:80', "address a]:80: unexpected ']' in address"],
      ['a[:80', "address a[:80: unexpected '[' in address"],
    ];
    for (const [input, message] of errors) expect(() => splitHostPort(input), input).toThrow(message);
  });

  it('loopback: localhost in any case and loopback IP literals only', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.0.0.2', '127.255.255.255', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['', '0.0.0.0', 'myhost', 'localhost.', '127.1', '127.000.0.1', '::1%lo', '::', '128.0.0.1', '::ffff:10.0.0.1', '::2']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('ports as Go parses them when listening', () => {
    expect([listenPort(''), listenPort('0'), listenPort('8787'), listenPort('65535'), listenPort('-0'), listenPort('+80')]).toEqual([0, 0, 8787, 65535, 0, 80]);
    expect(() => listenPort('65536')).toThrow('address 65536: invalid port');
    expect(() => listenPort('-1')).toThrow('address -1: invalid port');
    expect(() => listenPort('99999999999999999999')).toThrow('address 99999999999999999999: invalid port');
    expect(() => listenPort('nosuchsvc')).toThrow('lookup tcp/nosuchsvc: unknown port');
    expect(() => listenPort(' 80')).toThrow('lookup tcp/ 80: unknown port');
  });
});


interface Started { exit: Promise<number>; stdout: () => string; stop: () => Promise<number>; server?: NodeFetchServer }

/** runMcpServe in-process; resolves once it listens or has exited. */
async function serve(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Started> {
  let out = '';
  const abort = new AbortController();
  let listening!: (s: NodeFetchServer) => void;
  const ready = new Promise<NodeFetchServer>((r) => (listening = r));
  const exit = runMcpServe(
    { io: { stdout: (t) => void (out += t), stderr: () => undefined, cwd: dir, env: { PATH: process.env['PATH'], ...env } }, argv: ['mcp', 'serve', ...args], json: args.includes('--json') },
    args,
    { signal: abort.signal, onListening: listening },
  );
  const server = await Promise.race([ready, exit.then(() => undefined)]);
  return { exit, stdout: () => out, stop: () => (abort.abort(), exit), server };
}

const errorOf = (line: string) => (JSON.parse(line) as { error: string }).error;

describe('start-up', () => {
  let dir: string;
  const prev = process.cwd();
  beforeAll(() => {
    dir = copyMcpFixtures();
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(prev);
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('validates in Gait\'s order, with its wording', async () => {
    const cases: Array<[string[], string]> = [
      [['--trace-max-age', ' 5m ', '--runpack-max-age', '-0s', '--listen', 'nohost'], 'invalid --listen address: address nohost: missing port in address'],
      [['--session-max-age', 'x', '--auth-mode', 'basic'], 'parse --session-max-age: time: invalid duration "x"'],
      [['--auth-mode', ' Token ', '--listen', 'nohost'], 'invalid --listen address: address nohost: missing port in address'],
      [['--auth-mode', 'token', '--auth-token-env', ' HOME ', '--listen', '127.0.0.1:0'], '--auth-token-env did not resolve to a non-empty value'],
      [['--listen', '127.1:80'], 'non-loopback --listen requires --auth-mode token'],
      [['--listen', '[::1%lo]:80'], 'non-loopback --listen requires --auth-mode token'],
      [['--listen', ':80'], 'non-loopback --listen requires --auth-mode token'],
      [['--max-request-bytes', '-5', '--http-verdict-status', 'x'], '--max-request-bytes must be > 0'],
      [['--http-verdict-status', ' STRICT ', '--trace-max-count', '-1', '--listen', 'nohost'], 'invalid --listen address: address nohost: missing port in address'],
      [['--http-verdict-status', ' STRICT ', '--pack-max-count', '-1'], 'retention max-count values must be >= 0'],
      [['--trace-dir', '/proc/x', '--listen', '127.0.0.1:0'], 'create trace directory: mkdir /proc/x: no such file or directory'],
      [['--trace-dir', 'out/t1', '--session-dir', '/proc/x', '--context-envelope', 'nope.json', '--listen', '127.0.0.1:0'], 'read context envelope: open nope.json: no such file or directory'],
      [['--trace-dir', 'out/t2', '--session-dir', 'out/s2', '--context-envelope', '../x.json', '--listen', '127.0.0.1:0'], 'context envelope path must be a local filesystem path'],
      [['--trace-dir', 'out/t3', '--session-dir', '/proc/x', '--listen', '127.0.0.1:0'], 'create session directory: mkdir /proc/x: no such file or directory'],
      [['--policy', ' '], 'expected --policy <policy.yaml>'],
    ];
    for (const [extra, message] of cases) {
      const args = [...extra];
      if (!args.includes('--policy')) args.unshift('--policy', 'policies/allow.yaml');
      const s = await serve(dir, [...args, '--json'], { HOME: '/root' });
      expect(await s.exit, extra.join(' ')).toBe(6);
      expect(errorOf(s.stdout()), extra.join(' ')).toBe(message);
      expect(s.stdout().split('\n'), extra.join(' ')).toHaveLength(2);
    }
  });

  it('a flag error is JSON only when --json came first', async () => {
    const first = await serve(dir, ['--json', '--trace-max-count', 'x']);
    expect(await first.exit).toBe(6);
    expect(errorOf(first.stdout())).toBe('invalid value "x" for flag -trace-max-count: parse error');
    const after = await serve(dir, ['--trace-max-count', '99999999999999999999', '--json']);
    expect(await after.exit).toBe(6);
    expect(after.stdout()).toBe('mcp proxy error: invalid value "99999999999999999999" for flag -trace-max-count: value out of range\n');
    const bogus = await serve(dir, ['--json', '--bogus']);
    expect(errorOf(bogus.stdout())).toBe('flag provided but not defined: -bogus');
    const missing = await serve(dir, ['--policy']);
    expect(missing.stdout()).toBe('mcp proxy error: flag needs an argument: -policy\n');
  });

  it('a listen failure comes after the start-up line', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as { port: number }).port)));
    try {
      const cases: Array<[string, string]> = [
        [`127.0.0.1:${port}`, `listen tcp 127.0.0.1:${port}: bind: address already in use`],
        ['127.0.0.1:99999', 'listen tcp: address 99999: invalid port'],
        ['127.0.0.1:nosuchsvc', 'listen tcp: lookup tcp/nosuchsvc: unknown port'],
      ];
      for (const [listen, message] of cases) {
        const s = await serve(dir, ['--policy', 'policies/allow.yaml', '--listen', listen, '--json']);
        expect(await s.exit).toBe(6);
        const [startup, error] = s.stdout().trim().split('\n');
        expect(JSON.parse(startup!)).toMatchObject({ ok: true, listen, adapter: 'mcp', profile: 'standard', policy: 'policies/allow.yaml' });
        expect(errorOf(error!)).toBe(message);
        const text = await serve(dir, ['--policy', 'policies/allow.yaml', '--listen', listen]);
        expect(await text.exit).toBe(6);
        expect(text.stdout()).toBe(`mcp serve: listening=${listen} adapter=mcp\nmcp proxy error: ${message}\n`);
      }
    } finally {
      blocker.close();
    }
  });

  it('the start-up line: listen and adapter trimmed, profile lowercased, policy as given, empty values kept', async () => {
    const port = await freePort();
    const s = await serve(dir, ['--policy', ' policies/allow.yaml ', '--listen', ` 127.0.0.1:${port} `, '--adapter', ' OpenAI ', '--profile', ' X ', '--json']);
    expect(JSON.parse(s.stdout())).toMatchObject({ adapter: 'openai', listen: `127.0.0.1:${port}`, ok: true, policy: ' policies/allow.yaml ', profile: 'x' });
    expect(await s.stop()).toBe(0);
    const empty = await serve(dir, ['--policy', 'policies/allow.yaml', '--listen', `127.0.0.1:${port}`, '--adapter', '', '--profile', '', '--json']);
    expect(JSON.parse(empty.stdout())).toMatchObject({ adapter: '', profile: '' });
    expect(await empty.stop()).toBe(0);
  });

  it('the policy file is read per request: edits apply at once, a broken file fails requests (never allows)', async () => {
    const port = await freePort();
    writeFileSync('live.yaml', 'default_verdict: allow\n');
    const s = await serve(dir, ['--policy', 'live.yaml', '--listen', `127.0.0.1:${port}`, '--trace-dir', 'out/live']);
    try {
      const ask = () => post(port, '/v1/evaluate', '{"call":{"name":"tool.read"}}');
      expect(JSON.parse((await ask()).body).verdict).toBe('allow');
      writeFileSync('live.yaml', 'default_verdict: block\n');
      expect(JSON.parse((await ask()).body).verdict).toBe('block');
      rmSync('live.yaml');
      const gone = await ask();
      expect([gone.status, gone.body]).toEqual([400, '{"error":"read policy: open live.yaml: no such file or directory","ok":false}\n']);
      writeFileSync('live.yaml', 'default_verdict: [\n');
      const broken = await ask();
      expect(broken.status).toBe(400);
      expect(broken.body).not.toContain('verdict');
    } finally {
      await s.stop();
    }
  });
});

function post(port: number, urlPath: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }, agent?: Agent) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown>; socket: unknown }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: urlPath, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers, socket: req.socket }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('retention', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'gait-retention-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const touch = (file: string, ageSeconds: number) => {
    writeFileSync(file, 'x');
    const t = Date.now() / 1000 - ageSeconds;
    utimesSync(file, t, t);
  };

  it('count and age, by class file names, newest kept', async () => {
    const traces = path.join(root, 'traces');
    const sessions = path.join(root, 'sessions');
    mkdirSync(path.join(sessions, 'sub'), { recursive: true });
    mkdirSync(traces, { recursive: true });
    for (const [n, age] of [['a.json', 500], ['b.jsonl', 400], ['c.state', 1], ['d.txt', 900]] as const) touch(path.join(sessions, n), age);
    for (const [n, age] of [['trace_old.json', 7200], ['TRACE_X.JSON', 7200], ['other.json', 7200], ['trace_new.json', 1]] as const) touch(path.join(traces, n), age);
    const hook = retentionHook([
      { name: 'trace', dir: traces, maxAgeNs: 3600n * 1_000_000_000n, maxCount: 0 },
      { name: 'session', dir: sessions, maxAgeNs: 0n, maxCount: 1 },
      { name: 'pack', dir: '', maxAgeNs: 0n, maxCount: 5 },
      { name: 'runpack', dir: root, maxAgeNs: 0n, maxCount: 0 },
    ])!;
    expect(await hook()).toEqual(['retention_trace_removed_age=2 removed_count=0', 'retention_session_removed_age=0 removed_count=2']);
    expect(readdirSync(traces).sort()).toEqual(['other.json', 'trace_new.json']);
    expect(readdirSync(sessions).sort()).toEqual(['c.state', 'd.txt', 'sub']);
    expect(await hook()).toEqual([]);
  });

  it('a file removed for both reasons counts in both; an error replaces that class\'s report', async () => {
    const dir = path.join(root, 'both');
    mkdirSync(dir);
    for (const [n, age] of [['trace_1.json', 10], ['trace_2.json', 7200], ['trace_3.json', 7300]] as const) touch(path.join(dir, n), age);
    const hook = retentionHook([{ name: 'trace', dir, maxAgeNs: 3600n * 1_000_000_000n, maxCount: 2 }])!;
    expect(await hook()).toEqual(['retention_trace_removed_age=2 removed_count=1']);
    const missing = retentionHook([{ name: 'session', dir: path.join(root, 'nope'), maxAgeNs: 0n, maxCount: 1 }])!;
    expect(await missing()).toEqual([`retention_session_error=open ${path.join(root, 'nope')}: no such file or directory`]);
  });

  it('nothing to do without a directory and a limit', () => {
    expect(retentionHook([{ name: 'trace', dir: root, maxAgeNs: 0n, maxCount: 0 }, { name: 'pack', dir: '', maxAgeNs: 1n, maxCount: 1 }])).toBeUndefined();
  });

  it('two servers pruning one folder (--workers): a file the other removed first is no error and counts once', async () => {
    const dir = path.join(root, 'shared');
    mkdirSync(dir);
    for (let i = 0; i < 60; i++) touch(path.join(dir, `trace_${String(i).padStart(2, '0')}.json`), 1000 - i);
    const classes = [{ name: 'trace' as const, dir, maxAgeNs: 0n, maxCount: 5 }];
    const [a, b] = [retentionHook(classes)!, retentionHook(classes)!];
    const reports = (await Promise.all([a(), b(), a(), b()])).flat();
    expect(reports.filter((w) => w.includes('_error='))).toEqual([]);
    const removed = reports.reduce((n, w) => n + Number(/removed_count=(\d+)/.exec(w)?.[1] ?? 0), 0);
    expect(removed).toBe(55);
    expect(readdirSync(dir).sort()).toEqual(['trace_55.json', 'trace_56.json', 'trace_57.json', 'trace_58.json', 'trace_59.json']);
  });
});

describe('node:http adapter', () => {
  let server: NodeFetchServer;
  let release: () => void = () => undefined;
  beforeAll(async () => {
    server = await serveFetchHandler(async (request) => {
      const url = new URL(request.url);
      if (url.pathname === '/slow') await new Promise<void>((r) => (release = r));
      if (url.pathname === '/ignore-body') return new Response('{"error":"missing bearer authorization","ok":false}\n', { status: 401, headers: { 'Content-Type': 'application/json' } });
      const text = await request.text();
      return new Response(JSON.stringify({ path: url.pathname, length: text.length }) + '\n', { headers: { 'Content-Type': 'application/json' } });
    }, { host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close(100));

  it('keeps connections alive between requests and keeps paths like //x as paths', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const a = await post(server.address.port, '//x', 'abc', {}, agent);
      const b = await post(server.address.port, '/y', 'de', {}, agent);
      expect(JSON.parse(a.body)).toEqual({ path: '//x', length: 3 });
      expect(JSON.parse(b.body)).toEqual({ path: '/y', length: 2 });
      expect(a.socket).toBe(b.socket);
      expect(a.headers['content-length']).toBe(String(Buffer.byteLength(a.body)));
    } finally {
      agent.destroy();
    }
  });

  it('closes the connection after answering without reading a body', async () => {
    const r = await post(server.address.port, '/ignore-body', 'x'.repeat(200_000));
    expect(r.status).toBe(401);
    expect(r.headers['connection']).toBe('close');
  });

  it('cuts off a client that does not finish its headers in time', async () => {
    const { connect } = await import('node:net');
    const s = await serveFetchHandler(async () => new Response('x'), { host: '127.0.0.1', port: 0, headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    try {
      const started = Date.now();
      const reply = await new Promise<string>((resolve) => {
        const socket = connect(s.address.port, '127.0.0.1', () => socket.write('POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n'));
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => resolve(text));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await s.close(100);
    }
  });

  it('a graceful stop lets a request in flight finish, then refuses connections', async () => {
    const s = await serveFetchHandler(async () => {
      await new Promise<void>((r) => (release = r));
      return new Response('done\n');
    }, { host: '127.0.0.1', port: 0 });
    const inFlight = post(s.address.port, '/slow', '');
    await new Promise((r) => setTimeout(r, 50));
    const closing = s.close(5_000);
    release();
    expect((await inFlight).body).toBe('done\n');
    await closing;
    await expect(post(s.address.port, '/', '')).rejects.toThrow();
  });
});

describe('stopping the CLI server', () => {
  it('an abort stops it (exit 0); the trace dir holds what was written', async () => {
    const dir = copyMcpFixtures();
    const prev = process.cwd();
    process.chdir(dir);
    try {
      const port = await freePort();
      const s = await serve(dir, ['--policy', 'policies/allow.yaml', '--listen', `127.0.0.1:${port}`, '--trace-dir', 'out/t']);
      const r = await post(port, '/v1/evaluate', '{"call":{"name":"tool.read"},"run_id":"R 1"}');
      const shown = JSON.parse(r.body).trace_path as string;
      expect(shown).toMatch(/^out\/t\/trace_run_R_1_\d{8}T\d{6}\.\d{9}\.json$/);
      expect(existsSync(shown)).toBe(true);
      expect(await s.stop()).toBe(0);
    } finally {
      process.chdir(prev);
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
