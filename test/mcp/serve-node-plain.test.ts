// serve-node.ts writes a decision service's plain responses itself: the bytes on the wire must be
// those of the fetch Response path (the same service without its plain form), status line,
// header names, order and values, and body alike.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantiateSync, createGate } from '../../bindings/index.js';
import { createDecisionService } from '../../bindings/mcp/decision-service.js';
import { PLAIN_RESPONDER } from '../../bindings/mcp/plain-response.js';
import { serveFetchHandler, type NodeFetchServer } from '../../bindings/mcp/serve-node.js';

const MCP = fileURLToPath(new URL('../fixtures/gait/mcp/', import.meta.url));
const engine = instantiateSync(readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url))));
const gate = createGate(engine, readFileSync(MCP + 'policies/rules.yaml', 'utf8'));

/** One raw HTTP/1.1 exchange; the answer without its Date header (the clock differs). */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      got += d;
      // An event stream keeps its connection (Gait's `Connection: keep-alive`): its one event ends the exchange.
      if (/\r\n\r\nevent: evaluate\ndata: .*\n\n$/.test(got)) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(got.replace(/\r\nDate: [^\r]*/, '')));
  });
}

const call = JSON.stringify({ call: { name: 'tool.exec', args: { command: 'rm -rf /' }, context: { identity: 'bob', workspace: '/repo', risk_class: 'high' } } });
const post = (path: string, body: string, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`;
const REQUESTS: [string, string][] = [
  ['evaluate', post('/v1/evaluate', call)],
  ['sse', post('/v1/evaluate/sse', call)],
  ['ndjson', post('/v1/evaluate/stream', call)],
  ['bad json', post('/v1/evaluate', '{"call":')],
  ['too large', post('/v1/evaluate', call + ' '.repeat(300))],
  ['unknown media type', post('/v1/evaluate', call).replace('application/json', 'text/plain')],
  ['healthz', 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['healthz POST', post('/healthz', '{}')],
  ['not found', 'GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['redirect GET', 'GET /v1/../v1/evaluate?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['redirect POST', post('/v1//evaluate', call)],
  ['bad escape', 'GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['GET evaluate', 'GET /v1/evaluate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  // What a fetch Request refuses, or reads in its own way: the plain path (no Request) must agree.
  ['TRACE', 'TRACE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['absolute-form target', 'GET http://example.test/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['absolute-form with credentials', 'GET http://u:p@example.test/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['asterisk-form', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['DELETE', 'DELETE /v1/evaluate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ['content type with spaces and case', post('/v1/evaluate', call).replace('Content-Type: application/json', 'content-TYPE:   Application/JSON ;  charset=UTF-8  ')],
  ['two content types', post('/v1/evaluate', call).replace('Content-Type: application/json', 'Content-Type: application/json\r\nContent-Type: text/plain')],
  ['obs-text header value', post('/v1/evaluate', call, 'X-Odd: caf\xe9 \x80\r\n')],
  ['chunked body', `POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${call.length.toString(16)}\r\n${call}\r\n0\r\n\r\n`],
];

describe('serve-node: plain responses and requests', () => {
  let plain: NodeFetchServer;
  let fetchOnly: NodeFetchServer;
  beforeAll(async () => {
    const service = createDecisionService({ policy: gate, maxRequestBytes: 400, clock: () => new Date('2026-01-01T00:00:00Z') });
    expect(typeof service[PLAIN_RESPONDER as keyof typeof service]).toBe('function');
    plain = await serveFetchHandler(service, { host: '127.0.0.1', port: 0 });
    fetchOnly = await serveFetchHandler((request) => service(request), { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await plain?.close(100);
    await fetchOnly?.close(100);
  });

  it.each(REQUESTS)('%s: the same bytes as the fetch Response path', async (_name, raw) => {
    const viaPlain = await exchange(plain.address.port, raw);
    const viaFetch = await exchange(fetchOnly.address.port, raw);
    expect(viaPlain).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(viaPlain.replace(/"decision_latency_ms":\d+,/, '')).toBe(viaFetch.replace(/"decision_latency_ms":\d+,/, ''));
  });
});

const AUTH: [string, string][] = [
  ['token', post('/v1/evaluate', call, 'Authorization: Bearer s3cret\r\n')],
  ['token with spaces', post('/v1/evaluate', call, 'Authorization:    Bearer s3cret   \r\n')],
  ['lowercase scheme', post('/v1/evaluate', call, 'authorization: bearer s3cret\r\n')],
  ['wrong token', post('/v1/evaluate', call, 'Authorization: Bearer nope\r\n')],
  ['two authorization headers', post('/v1/evaluate', call, 'Authorization: Bearer nope\r\nAuthorization: Bearer s3cret\r\n')],
  ['no token', post('/v1/evaluate', call)],
];

describe('serve-node: plain requests under token auth', () => {
  let plain: NodeFetchServer;
  let fetchOnly: NodeFetchServer;
  beforeAll(async () => {
    const service = createDecisionService({ policy: gate, authToken: 's3cret', clock: () => new Date('2026-01-01T00:00:00Z') });
    plain = await serveFetchHandler(service, { host: '127.0.0.1', port: 0 });
    fetchOnly = await serveFetchHandler((request) => service(request), { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await plain?.close(100);
    await fetchOnly?.close(100);
  });

  it.each(AUTH)('%s: the same bytes as the fetch Request path', async (_name, raw) => {
    const viaPlain = await exchange(plain.address.port, raw);
    const viaFetch = await exchange(fetchOnly.address.port, raw);
    expect(viaPlain).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(viaPlain.replace(/"decision_latency_ms":\d+,/, '')).toBe(viaFetch.replace(/"decision_latency_ms":\d+,/, ''));
  });
});
