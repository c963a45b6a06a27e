// One decision service for every runtime: the same `createDecisionService` fetch handler, started
// by examples/decision-service/ on Node (node:http), Deno (Deno.serve), Bun (Bun.serve) and
// workerd (a module worker), gets the same real HTTP requests; every answer (status, content
// type, body bytes without decision_latency_ms and trace_path) must be identical across runtimes
// and match the expected verdict or error. With Gait (GAIT_ORACLE or ../shared/oracle/gait) the
// answers must also equal `gait mcp serve`'s with the same policy, token and signing key.
// A runtime is skipped only when its binary is missing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from './runtimes.mjs';

const ROOT: string = R.ROOT;
const SLOW = 120_000;
const EXAMPLE = join(ROOT, 'examples/decision-service');
const POLICY = join(EXAMPLE, 'policy.yaml');
const TOKEN = 'example-token-1';
const SIGNING_KEY = readFileSync(join(ROOT, 'test/fixtures/gait/scenarios/keys/approval_private.key'), 'utf8').trim();
const ENV = { GAIT_SERVE_TOKEN: TOKEN, GAIT_SIGNING_KEY: SIGNING_KEY, NO_COLOR: '1' };
const LOCAL_ORACLE = join(ROOT, '../shared/oracle/gait');
const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(LOCAL_ORACLE) ? LOCAL_ORACLE : undefined);

interface Server { url: string; stop: () => Promise<void>; log: () => string }
interface Runtime {
  name: string;
  binary: string;
  start: () => Promise<Server>;
  /** The signed traces the run kept, through the example's trace port. */
  traces: (server: Server) => { trace_id: string; signature?: unknown }[];
}

const scratch = mkdtempSync(join(tmpdir(), 'gait-decision-service-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const NODE_TRACES = join(scratch, 'node-traces');
/** The edge examples log each trace as one JSON line `{"trace":…}`. */
const loggedTraces = (server: Server) =>
  server.log().split('\n').filter((l) => l.startsWith('{"trace":')).map((l) => JSON.parse(l).trace);

const RUNTIMES: Runtime[] = [
  {
    name: 'node',
    binary: process.execPath,
    start: () => R.startHttpProcess(process.execPath, [join(EXAMPLE, 'node/server.mjs')], { env: { ...ENV, GAIT_TRACE_DIR: NODE_TRACES }, readyPath: '/healthz' }),
    traces: () => readdirSync(NODE_TRACES).map((f) => JSON.parse(readFileSync(join(NODE_TRACES, f), 'utf8'))),
  },
  {
    name: 'deno',
    binary: R.bin('deno'),
    start: () =>
      R.startHttpProcess(R.bin('deno'), ['run', '--no-prompt', '--no-lock', '--allow-net=127.0.0.1', `--allow-read=${ROOT}`, '--allow-env', join(EXAMPLE, 'deno/main.ts')], {
        env: ENV,
        readyPath: '/healthz',
      }),
    traces: loggedTraces,
  },
  {
    name: 'bun',
    binary: R.bin('bun'),
    start: () => R.startHttpProcess(R.bin('bun'), [join(EXAMPLE, 'bun/main.js')], { env: ENV, readyPath: '/healthz' }),
    traces: loggedTraces,
  },
  {
    name: 'workerd',
    binary: R.bin('workerd'),
    start: () => R.startWorkerd(join(EXAMPLE, 'workerd/config.capnp'), 'http', { env: { ...process.env, ...ENV } }),
    traces: loggedTraces,
  },
];

const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_TYPE = { 'content-type': 'application/json' };
const call = (c: object, extra: object = {}) => JSON.stringify({ ...extra, call: c });
const ctx = (identity: string, risk: string) => ({ identity, workspace: '/repo', risk_class: risk });
const READ = { name: 'tool.read', args: { path: '/repo/README.md' }, context: ctx('alice', 'low') };

interface Case {
  id: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
  /** An evaluated answer: its verdict and exit code. */
  verdict?: [string, number];
  /** An error or fixed answer: the exact body. */
  text?: string;
}

const error = (message: string) => `{"error":${JSON.stringify(message)},"ok":false}\n`;

// Statuses and error texts are Gait v1.3.6's (test/fixtures/gait/mcp/SERVE_EXPECTED.jsonl, mcp.md §10).
const CASES: Case[] = [
  { id: 'healthz', method: 'GET', path: '/healthz', headers: {}, status: 200, text: '{"ok":true,"service":"gait.mcp.serve"}\n' },
  { id: 'allow', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE }, body: call(READ), status: 200, verdict: ['allow', 0] },
  {
    id: 'block', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE },
    body: call({ name: 'tool.exec', args: { command: 'rm -rf /' }, context: ctx('bob', 'high') }), status: 200, verdict: ['block', 3],
  },
  {
    id: 'approval', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE },
    body: call({ name: 'tool.write', args: { path: '/repo/out.txt', content: 'hi' }, targets: [{ kind: 'path', value: '/repo/out.txt', operation: 'write' }], context: ctx('alice', 'high') }),
    status: 200, verdict: ['require_approval', 4],
  },
  {
    id: 'dry_run', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE },
    body: call({ name: 'tool.deploy', args: { env: 'staging' }, context: ctx('ci', 'medium') }), status: 200, verdict: ['dry_run', 0],
  },
  {
    id: 'default block, openai adapter', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE },
    body: call({ type: 'function', function: { name: 'tool.fetch', arguments: '{"url":"https://example.org/"}' } }, { adapter: 'openai' }), status: 200, verdict: ['block', 3],
  },
  { id: 'sse', method: 'POST', path: '/v1/evaluate/sse', headers: { ...AUTH, ...JSON_TYPE }, body: call(READ), status: 200, verdict: ['allow', 0] },
  { id: 'stream', method: 'POST', path: '/v1/evaluate/stream', headers: { ...AUTH, ...JSON_TYPE }, body: call(READ), status: 200, verdict: ['allow', 0] },
  { id: 'bad method', method: 'GET', path: '/v1/evaluate', headers: AUTH, status: 405, text: error('expected POST') },
  { id: 'no token', method: 'POST', path: '/v1/evaluate', headers: JSON_TYPE, body: call(READ), status: 401, text: error('missing bearer authorization') },
  { id: 'bad token', method: 'POST', path: '/v1/evaluate', headers: { authorization: 'Bearer nope', ...JSON_TYPE }, body: call(READ), status: 401, text: error('invalid bearer authorization') },
  { id: 'bad content-type', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, 'content-type': 'text/plain' }, body: call(READ), status: 415, text: error('content-type must be application/json') },
  {
    id: 'oversize', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE },
    body: call({ name: 'tool.read', args: { pad: ' '.repeat(1_100_000) } }), status: 413, text: error('request body exceeds max-request-bytes'),
  },
  { id: 'malformed', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE }, body: '{"call":', status: 400, text: error('decode request: unexpected EOF') },
  { id: 'not json', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE }, body: 'call me', status: 400, text: error("decode request: invalid character 'c' looking for beginning of value") },
  { id: 'missing call', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE }, body: '{}', status: 400, text: error('request.call is required') },
  { id: 'unknown adapter', method: 'POST', path: '/v1/evaluate', headers: { ...AUTH, ...JSON_TYPE }, body: call(READ, { adapter: 'nope' }), status: 400, text: error('unsupported adapter: nope') },
  { id: 'unknown path', method: 'GET', path: '/v2/nothing', headers: AUTH, status: 404, text: '404 page not found\n' },
];

/** The answer as compared across runtimes: status, content type, body without the run-dependent fields. */
interface Answer { status: number; type: string | null; body: string }

const normalize = (body: string) => body.replace(/"decision_latency_ms":\d+,/g, '').replace(/"trace_path":"[^"]*",/g, '');

async function ask(url: string, c: Case): Promise<Answer> {
  const r = await fetch(url + c.path, { method: c.method, headers: c.headers, body: c.body, signal: AbortSignal.timeout(20_000) });
  return { status: r.status, type: r.headers.get('content-type'), body: normalize(await r.text()) };
}

/** The evaluated object of an answer body (the `data:` line of an SSE event). */
function evaluated(c: Case, body: string): { verdict: string; exit_code: number } {
  if (c.path.endsWith('/sse')) {
    expect(body).toMatch(/^event: evaluate\ndata: \{.*\}\n\n$/);
    return JSON.parse(body.slice('event: evaluate\ndata: '.length));
  }
  expect(body.endsWith('}\n')).toBe(true);
  return JSON.parse(body);
}

const answers = new Map<string, Answer[]>();

describe('examples/decision-service: one handler, every runtime', () => {
  for (const rt of RUNTIMES) {
    it.skipIf(!existsSync(rt.binary))(`${rt.name}: answers every request as expected`, async () => {
      const server = await rt.start();
      try {
        const got: Answer[] = [];
        for (const c of CASES) {
          const a = await ask(server.url, c);
          got.push(a);
          expect({ id: c.id, status: a.status }, server.log()).toEqual({ id: c.id, status: c.status });
          if (c.text !== undefined) expect(a.body, c.id).toBe(c.text);
          if (c.verdict) {
            const out = evaluated(c, a.body);
            expect([out.verdict, out.exit_code], c.id).toEqual(c.verdict);
          }
        }
        answers.set(rt.name, got);
        // Every evaluation (and nothing else) left one signed trace through the example's port.
        await new Promise((r) => setTimeout(r, 200)); // the last log lines
        const traces = rt.traces(server);
        const evaluatedIds = CASES.flatMap((c, i) => (c.verdict ? [JSON.parse(c.path.endsWith('/sse') ? got[i]!.body.slice(22) : got[i]!.body).trace_id] : []));
        expect(traces.map((t) => t.trace_id).sort(), server.log()).toEqual(evaluatedIds.sort());
        for (const t of traces) expect(t.signature).toMatchObject({ alg: 'ed25519' });
      } finally {
        await server.stop();
      }
    }, SLOW);
  }

  it('every runtime gives byte-identical answers (decision_latency_ms and trace_path removed)', () => {
    const node = answers.get('node');
    expect(node, 'the node run').toBeDefined();
    for (const [name, got] of answers) {
      for (const [i, c] of CASES.entries()) expect({ runtime: name, id: c.id, ...got[i] }).toEqual({ runtime: name, id: c.id, ...node![i] });
    }
  });

  it.skipIf(!ORACLE)("equal to Gait's `gait mcp serve` with the same policy, token and signing key", async () => {
    const args = (port: number) => [
      'mcp', 'serve', '--listen', `127.0.0.1:${port}`, '--policy', POLICY, '--auth-mode', 'token', '--auth-token-env', 'GAIT_SERVE_TOKEN',
      '--key-mode', 'prod', '--private-key-env', 'GAIT_SIGNING_KEY', '--trace-dir', join(scratch, 'traces'), '--session-dir', join(scratch, 'sessions'),
      '--job-root', join(scratch, 'jobs'), '--json',
    ];
    const server = await R.startHttpProcess(ORACLE, args, { env: ENV, readyPath: '/healthz' });
    const node = answers.get('node')!;
    try {
      for (const [i, c] of CASES.entries()) {
        const a = await ask(server.url, c);
        expect({ id: c.id, ...node[i] }).toEqual({ id: c.id, ...a });
      }
    } finally {
      await server.stop();
    }
  }, SLOW);
});
