// test/fixtures/gait/mcp/SERVE_EXPECTED.jsonl (6 `gait mcp serve` configurations and 60 HTTP
// requests recorded from Gait v1.3.6) replayed against our `gait mcp serve`: each server is started
// by the CLI (runMcpServe, in-process) on a free loopback port in a fresh copy of the fixture
// folder, and every request is sent over HTTP in file order. With the README's two normalizations
// (`"decision_latency_ms":N,` removed, the trace_path value replaced) the body bytes must match.
//
// Expected difference (mcp.md §13: session journals are not implemented): Gait appends a
// `session_journal=<path> sequence=<n>` warning whenever the call has a session id; we do not, so
// that one warning is removed from the recorded body before comparing. Nothing else is exempt.
import { request as httpRequest } from 'node:http';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMcpServe } from '../../bindings/cli/mcp-serve.js';
import type { NodeFetchServer } from '../../bindings/mcp/serve-node.js';
import { copyMcpFixtures, MCP_FIXTURES } from './fixture-cases.js';
import { freePort } from '../runtimes/runtimes.mjs';

interface ServerRecord {
  kind: 'server';
  server: string;
  cmd: string[];
  env: Record<string, string>;
  startup_stdout_json: Record<string, unknown>;
  startup_ignored: string[];
}
interface RequestRecord {
  kind: 'request';
  id: string;
  server: string;
  request: { method: string; path: string; headers: Record<string, string>; body: string | null };
  status: number;
  content_type: string;
  cache_control?: string;
  body_text: string;
  body_json?: Record<string, unknown>;
}

const records = readFileSync(path.join(MCP_FIXTURES, 'SERVE_EXPECTED.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ServerRecord | RequestRecord);

const normalize = (text: string) => text.replace(/"decision_latency_ms":\d+,/g, '').replace(/"trace_path":"[^"]*"/g, '"trace_path":"<TRACE_PATH>"');
/** The recorded body without Gait's session-journal warning (not implemented here). */
const withoutJournal = (text: string) => text
  .replace(/,"session_journal=[^"]*"/g, '').replace(/"session_journal=[^"]*",?/g, '').replace(/"warnings":\[\],/g, '');


function send(port: number, r: RequestRecord['request']): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const body = r.body === null ? undefined : Buffer.from(r.body, 'utf8');
    const req = httpRequest({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: { ...r.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Running {
  port: number;
  stop(): Promise<number>;
  stdout: string;
}

async function start(dir: string, record: ServerRecord): Promise<Running> {
  const port = await freePort();
  const args = record.cmd.map((a) => a.replace('<PORT>', String(port)));
  const abort = new AbortController();
  let stdout = '';
  let listening!: (s: NodeFetchServer) => void;
  const ready = new Promise<NodeFetchServer>((resolve) => (listening = resolve));
  const done = runMcpServe(
    { io: { stdout: (t) => void (stdout += t), stderr: () => undefined, cwd: dir, env: { ...process.env, ...record.env } }, argv: args, json: args.includes('--json') },
    args.slice(2),
    { signal: abort.signal, onListening: listening },
  );
  const early = await Promise.race([ready.then(() => undefined), done]);
  if (early !== undefined) throw new Error(`server ${record.server} did not start: ${stdout}`);
  return {
    port,
    get stdout() {
      return stdout;
    },
    stop: () => {
      abort.abort();
      return done;
    },
  };
}

describe('mcp serve: SERVE_EXPECTED.jsonl', () => {
  let dir: string;
  const prev = process.cwd();
  const servers = new Map<string, Running>();
  let current: { name: string; server: Running; record: ServerRecord } | undefined;

  beforeAll(() => {
    dir = copyMcpFixtures();
    process.chdir(dir); // the CLI resolves relative paths (policy, trace dir) against the process
  });
  afterAll(async () => {
    for (const s of servers.values()) await s.stop();
    process.chdir(prev);
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('has 6 servers and 60 requests', () => {
    expect(records.filter((r) => r.kind === 'server')).toHaveLength(6);
    expect(records.filter((r) => r.kind === 'request')).toHaveLength(60);
  });

  for (const record of records) {
    if (record.kind === 'server') {
      it(`server ${record.server}: starts and prints the startup line`, async () => {
        if (current) await current.server.stop();
        const server = await start(dir, record);
        servers.set(record.server, server);
        current = { name: record.server, server, record };
        const line = JSON.parse(server.stdout) as Record<string, unknown>;
        expect(line).toHaveProperty('correlation_id');
        for (const k of record.startup_ignored) delete line[k];
        const expected = JSON.parse(JSON.stringify(record.startup_stdout_json).replaceAll('<PORT>', String(server.port)));
        expect(line).toEqual(expected);
        expect(server.stdout.split('\n')).toHaveLength(2);
      });
      continue;
    }
    it(`${record.server} ${record.id}: ${record.request.method} ${record.request.path} → ${record.status}`, async () => {
      expect(current?.name).toBe(record.server);
      const res = await send(current!.server.port, record.request);
      expect(res.status).toBe(record.status);
      expect(res.headers['content-type']).toBe(record.content_type);
      if (record.cache_control !== undefined) expect(res.headers['cache-control']).toBe(record.cache_control);
      expect(normalize(res.body)).toBe(withoutJournal(record.body_text));
      // trace_path: the configured trace dir, the request's run id, a timestamp; the file is there.
      const recorded = record.body_json?.['trace_path'];
      if (typeof recorded === 'string') {
        const data = res.body.startsWith('event: ') ? res.body.slice(res.body.indexOf('data: ') + 6) : res.body;
        const shown = (JSON.parse(data) as { trace_path: string }).trace_path;
        const pattern = new RegExp('^' + recorded.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<TIMESTAMP>', '\\d{8}T\\d{6}\\.\\d{9}') + '$');
        expect(shown).toMatch(pattern);
        expect(existsSync(path.join(dir, shown))).toBe(true);
      }
    });
  }

  it('retention kept only the newest trace of the retention server', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(path.join(dir, 'out/serve/retention/traces'))).toHaveLength(1);
  });

  it('stops on request and answers no more', async () => {
    const server = current!.server;
    expect(await server.stop()).toBe(0);
    await expect(send(server.port, { method: 'GET', path: '/healthz', headers: {}, body: null })).rejects.toThrow();
  });
});
