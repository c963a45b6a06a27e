// The decision service called directly with `new Request(...)`: endpoints, auth, content types,
// body limits and decoding, artifact paths, status mapping and framing (spec mcp.md §10.3–§10.5).
// No error answer ever carries a verdict, and the handler keeps serving after every failure.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instantiateSync, createGate, GaitError } from '../../bindings/index.js';
import { createDecisionService, type DecisionServiceOptions } from '../../bindings/mcp/decision-service.js';

const wasm = readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url)));
const engine = instantiateSync(wasm);
const MCP = fileURLToPath(new URL('../fixtures/gait/mcp/', import.meta.url));
const rules = createGate(engine, readFileSync(MCP + 'policies/rules.yaml', 'utf8'));

const READ_CALL = { name: 'tool.read', args: { path: '/tmp/in.txt' }, targets: [{ kind: 'path', value: '/tmp/in.txt', operation: 'read' }] };
const EXEC_CALL = { name: 'tool.exec', args: { command: 'rm -rf /' }, context: { identity: 'bob', workspace: '/repo', risk_class: 'high', session_id: 's-exec' } };
const WRITE_CALL = { name: 'tool.write', args: { path: '/repo/out.txt' }, targets: [{ kind: 'path', value: '/repo/out.txt', operation: 'write' }] };
const DEPLOY_CALL = { name: 'tool.deploy', args: { env: 'staging' }, context: { identity: 'ci', workspace: '/repo', risk_class: 'medium', session_id: 's-deploy' } };

function service(extra: Partial<DecisionServiceOptions> = {}) {
  return createDecisionService({ policy: rules, ...extra });
}

function post(path: string, body: string | Uint8Array | null, headers: Record<string, string> = { 'Content-Type': 'application/json' }, method = 'POST') {
  return new Request(`http://127.0.0.1:8787${path}`, { method, headers, body });
}

async function answer(handler: (r: Request) => Promise<Response>, request: Request) {
  const res = await handler(request);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), headers: res.headers };
}

/** An error answer: exact body, no verdict anywhere. */
async function expectError(handler: (r: Request) => Promise<Response>, request: Request, status: number, message: string) {
  const a = await answer(handler, request);
  expect({ status: a.status, text: a.text, type: a.type }).toEqual({
    status, text: JSON.stringify({ error: message, ok: false }) + '\n', type: 'application/json',
  });
  expect(a.text).not.toContain('verdict');
}

/** After a failure the same handler still evaluates. */
async function stillServes(handler: (r: Request) => Promise<Response>, body = JSON.stringify({ call: READ_CALL })) {
  const a = await answer(handler, post('/v1/evaluate', body));
  expect(a.status).toBe(200);
  expect(JSON.parse(a.text).verdict).toBe('allow');
}

describe('endpoints and methods', () => {
  const handler = service();
  it('healthz answers GET only, without auth', async () => {
    const a = await answer(service({ authToken: 's3cret' }), new Request('http://h/healthz'));
    expect([a.status, a.text, a.type]).toEqual([200, '{"ok":true,"service":"gait.mcp.serve"}\n', 'application/json']);
    await expectError(handler, post('/healthz', null, {}), 405, 'expected GET');
    await expectError(handler, new Request('http://h/healthz', { method: 'HEAD' }), 405, 'expected GET');
  });

  it('evaluate endpoints answer POST only', async () => {
    for (const path of ['/v1/evaluate', '/v1/evaluate/sse', '/v1/evaluate/stream']) {
      for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS']) await expectError(handler, new Request(`http://h${path}`, { method }), 405, 'expected POST');
    }
    await stillServes(handler);
  });

  it('anything else is Go\'s plain 404, exact paths only', async () => {
    for (const path of ['/', '/v2/nothing', '/v1/evaluate/', '/healthz/', '/v1/evaluate/sse/x']) {
      const a = await answer(handler, post(path, '{}'));
      expect([a.status, a.text, a.type], path).toEqual([404, '404 page not found\n', 'text/plain; charset=utf-8']);
      expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('a path that is not clean is redirected (307) like Go\'s ServeMux', async () => {
    const get = await answer(handler, new Request('http://h//healthz'));
    expect([get.status, get.headers.get('location'), get.text]).toEqual([307, '/healthz', '<a href="/healthz">Temporary Redirect</a>.\n\n']);
    const postRedirect = await answer(handler, post('//v1/evaluate?a=1', '{}'));
    expect([postRedirect.status, postRedirect.headers.get('location'), postRedirect.text]).toEqual([307, '/v1/evaluate?a=1', '']);
  });

  it('an escaped path is matched unescaped', async () => {
    const a = await answer(handler, new Request('http://h/healt%68z'));
    expect(a.status).toBe(200);
  });
});

describe('bearer token', () => {
  const handler = service({ authToken: 's3cret' });
  const body = JSON.stringify({ call: READ_CALL });
  it('missing, other scheme, wrong case or wrong token: 401 before any body check', async () => {
    await expectError(handler, post('/v1/evaluate', body), 401, 'missing bearer authorization');
    await expectError(handler, post('/v1/evaluate', body, { Authorization: 'Basic s3cret', 'Content-Type': 'application/json' }), 401, 'missing bearer authorization');
    await expectError(handler, post('/v1/evaluate', body, { Authorization: 'bearer s3cret', 'Content-Type': 'application/json' }), 401, 'missing bearer authorization');
    await expectError(handler, post('/v1/evaluate', body, { Authorization: 'Bearer nope', 'Content-Type': 'application/json' }), 401, 'invalid bearer authorization');
    await expectError(handler, post('/v1/evaluate', body, { Authorization: 'Bearer s3cret2', 'Content-Type': 'application/json' }), 401, 'invalid bearer authorization');
    await expectError(handler, post('/v1/evaluate', 'junk', { 'Content-Type': 'text/plain' }), 401, 'missing bearer authorization');
    await expectError(handler, post('/v1/evaluate/sse', 'junk', { Authorization: 'Bearer x', 'Content-Type': 'text/plain' }), 401, 'invalid bearer authorization');
  });

  it('the right token (surrounding spaces trimmed) is let through', async () => {
    const a = await answer(handler, post('/v1/evaluate', body, { Authorization: '  Bearer   s3cret  ', 'Content-Type': 'application/json' }));
    expect(a.status).toBe(200);
  });
});

describe('content type', () => {
  const handler = service();
  const body = JSON.stringify({ call: READ_CALL });
  it('absent, blank, parameters and case are accepted', async () => {
    // (A string body would make fetch add text/plain: bytes carry no type.)
    const bytes = new TextEncoder().encode(body);
    for (const ct of [undefined, ' ', 'application/json; charset=utf-8', 'APPLICATION/JSON ; charset=x', 'application/json;', 'application/json; charset=a; charset=a']) {
      const a = await answer(handler, post('/v1/evaluate', bytes, ct === undefined ? {} : { 'Content-Type': ct }));
      expect(a.status, String(ct)).toBe(200);
    }
  });

  it('another media type is 415; an unparsable header too, with its own message', async () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/*', 'text', 'application/jsonx']) {
      await expectError(handler, post('/v1/evaluate', body, { 'Content-Type': ct }), 415, 'content-type must be application/json');
    }
    for (const ct of ['application/json; =x', 'application/json; charset', 'application/json; charset=a; charset=b', 'application/json; a*=x; a*=y', 'application/json; a="x', 'application/json ;;', '/json', 'application/', 'a/b/c']) {
      await expectError(handler, post('/v1/evaluate', body, { 'Content-Type': ct }), 415, 'invalid content-type header');
    }
    await stillServes(handler);
  });
});

describe('body limit and decoding', () => {
  const small = service({ maxRequestBytes: 30 });
  const ok = '{"call":{"name":"tool.read"}}'; // 29 bytes
  it('a body within the limit (trailing whitespace included) is decoded', async () => {
    expect((await answer(small, post('/v1/evaluate', ok))).status).toBe(200);
    expect((await answer(small, post('/v1/evaluate', ok + ' '))).status).toBe(200);
  });

  it('matches Go at and past the limit', async () => {
    const cases: Array<[string, number, string]> = [
      [ok + '  ', 400, 'request body must contain a single JSON object'],
      [ok + '  x', 400, 'request body must contain a single JSON object'],
      ['{"call":{"name":"tool.readxx"}}', 413, 'request body exceeds max-request-bytes'],
      ['{"call":{"name":"tool.r"},"x":1,"zzzzzzzzzzzzzzzzzzzzz":1}', 413, 'request body exceeds max-request-bytes'],
      ['{"call":{"name":"tool.r"}, x                 }', 400, "decode request: invalid character 'x' looking for beginning of object key string"],
      [' '.repeat(39), 413, 'request body exceeds max-request-bytes'],
      ['             {"ca', 400, 'decode request: unexpected EOF'],
      [' '.repeat(28) + '"abc', 413, 'request body exceeds max-request-bytes'],
      [' '.repeat(29) + '123', 413, 'request body exceeds max-request-bytes'],
      [' '.repeat(27) + '123', 400, 'decode request: json: cannot unmarshal number into Go value of type main.mcpServeEvaluateRequest'],
    ];
    for (const [body, status, message] of cases) await expectError(small, post('/v1/evaluate', body), status, message);
    await stillServes(small, ok);
  });

  it('reads no further than the limit + 1 from a long stream', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16;
        controller.enqueue(new Uint8Array(16).fill(0x20));
        if (pulled > 10_000_000) controller.close();
      },
    });
    const request = new Request('http://h/v1/evaluate', { method: 'POST', body: stream, headers: { 'Content-Type': 'application/json' }, duplex: 'half' } as RequestInit);
    await expectError(small, request, 413, 'request body exceeds max-request-bytes');
    expect(pulled).toBeLessThan(200);
  });

  it('Go\'s decoder messages', async () => {
    const handler = service();
    const cases: Array<[string, string]> = [
      ['', 'decode request: EOF'],
      ['   \n', 'decode request: EOF'],
      ['{"call":{"name":"x"', 'decode request: unexpected EOF'],
      ['call=tool.read', "decode request: invalid character 'c' looking for beginning of value"],
      ['[]', 'decode request: json: cannot unmarshal array into Go value of type main.mcpServeEvaluateRequest'],
      ['{"call":"tool.read"}', 'decode request: json: cannot unmarshal string into Go struct field mcpServeEvaluateRequest.call of type map[string]interface {}'],
      ['{"call":{"name":"a"},"policy":"x"}', 'decode request: json: unknown field "policy"'],
      ['{"call":{"name":"a"}, "policy":1, "run_id":5}', 'decode request: json: unknown field "policy"'],
      ['{"run_id":5, "policy":1}', 'decode request: json: cannot unmarshal number into Go struct field mcpServeEvaluateRequest.run_id of type string'],
      ['{"checkpoint_interval":1.5,"call":{"name":"a"}}', 'decode request: json: cannot unmarshal number 1.5 into Go struct field mcpServeEvaluateRequest.checkpoint_interval of type int'],
      ['{"call":{"name":"a","x":{"y":1e400}}}', 'decode request: json: cannot unmarshal number 1e400 into Go struct field mcpServeEvaluateRequest.call of type float64'],
      ['{"emit_pack":"yes","call":{"name":"a"}}', 'decode request: json: cannot unmarshal string into Go struct field mcpServeEvaluateRequest.emit_pack of type bool'],
      ['{"call":{"name":"a"}} {}', 'request body must contain a single JSON object'],
      ['{"call":{"name":"a"}} x', 'request body must contain a single JSON object'],
      ['null', 'request.call is required'],
      ['{}', 'request.call is required'],
      ['{"call":null}', 'request.call is required'],
      ['{"call":{}}', 'request.call is required'],
      ['\ufeff{"call":{"name":"a"}}', "decode request: invalid character 'ï' looking for beginning of value"],
    ];
    for (const [body, message] of cases) await expectError(handler, post('/v1/evaluate', body), 400, message);
    await stillServes(handler);
  });

  it('keys are case-insensitive; duplicate and case-variant call keys resolve as Go\'s sorted re-encoding does', async () => {
    const handler = service();
    const a = JSON.parse((await answer(handler, post('/v1/evaluate', '{"CALL":{"name":"tool.read"},"Run_ID":"abc"}'))).text);
    expect([a.verdict, a.run_id]).toEqual(['allow', 'run_abc']);
    // "NAME" sorts before "name", so name wins: the digest is the one of name "a".
    const b = JSON.parse((await answer(handler, post('/v1/evaluate', '{"call":{"name":"a","NAME":"b"}}'))).text);
    const c = JSON.parse((await answer(handler, post('/v1/evaluate', '{"call":{"name":"a"}}'))).text);
    expect(b.tool_name).toBe('a');
    expect(b.intent_digest).toBe(c.intent_digest);
  });
});

describe('adapter, mapping and artifact paths', () => {
  const handler = service();
  it('adapter errors and unmappable calls are 400 without a verdict', async () => {
    const cases: Array<[unknown, string]> = [
      [{ adapter: 'bogus', call: READ_CALL }, 'unsupported adapter: bogus'],
      [{ adapter: ' Bogus ', call: READ_CALL }, 'unsupported adapter: bogus'],
      [{ adapter: 'anthropic', call: { name: 'tool.x', input: 'str' } }, 'parse anthropic tool call: json: cannot unmarshal string into Go struct field .input of type map[string]interface {}'],
      [{ call: { args: { a: 1 } } }, 'tool call name is required'],
      [{ call: { name: 'tool.read', context: { context_envelope_path: 'x.json' } } }, 'call.context.context_envelope_path is not supported; use --context-envelope at the boundary'],
      [{ call: { name: 'tool.read', targets: [{ kind: 'planet', value: 'x' }] } }, 'normalize intent: unsupported target kind: planet'],
    ];
    for (const [body, message] of cases) await expectError(handler, post('/v1/evaluate', JSON.stringify(body)), 400, message);
    await stillServes(handler);
  });

  it('a bad server default adapter or profile fails each request, not the server', async () => {
    await expectError(service({ adapter: 'nope' }), post('/v1/evaluate', JSON.stringify({ call: READ_CALL })), 400, 'unsupported adapter: nope');
    const a = await answer(service({ adapter: 'nope' }), post('/v1/evaluate', JSON.stringify({ adapter: 'mcp', call: READ_CALL })));
    expect(a.status).toBe(200);
    await expectError(service({ profile: 'loose' }), post('/v1/evaluate', JSON.stringify({ call: READ_CALL })), 400, 'unsupported --profile value "loose" (expected standard or oss-prod)');
  });

  it('client artifact paths are refused unless allowed, before the call is decoded (Gait\'s order)', async () => {
    const cases: Array<[unknown, string]> = [
      [{ adapter: 'bogus', call: READ_CALL, trace_path: 'x.json' }, 'request.trace_path is not allowed by server configuration'],
      [{ call: { args: {} }, trace_path: 'x.json' }, 'request.trace_path is not allowed by server configuration'],
      [{ call: READ_CALL, runpack_out: 'out/x.zip' }, 'request.runpack_out is not allowed by server configuration'],
      [{ call: { name: 'a', created_at: 'bad' }, pack_out: 'p' }, 'request.pack_out is not allowed by server configuration'],
      [{ call: READ_CALL, emit_pack: true }, 'request.emit_pack requires server --pack-dir'],
      [{ call: EXEC_CALL, session_journal: 'out/j.jsonl' }, 'request.session_journal is not allowed by server configuration'],
      [{ call: READ_CALL, session_id: 's', session_journal: 'out/j.jsonl' }, 'request.session_journal is not allowed by server configuration'],
    ];
    for (const [body, message] of cases) await expectError(handler, post('/v1/evaluate', JSON.stringify(body)), 400, message);
    // Blank values are no request; emit_runpack without a runpack directory is ignored, as in Gait.
    for (const body of [{ call: READ_CALL, trace_path: '  ', runpack_out: ' ' }, { call: READ_CALL, emit_runpack: true }, { call: READ_CALL, session_journal: 'out/j.jsonl' }]) {
      expect((await answer(handler, post('/v1/evaluate', JSON.stringify(body)))).status).toBe(200);
    }
  });

  it('runpacks, packs and session journals are not supported: a request for one is refused, never half-served', async () => {
    const allowed = service({ allowClientArtifactPaths: true, artifactDirs: { runpack: true, pack: true }, traceSink: () => 'kept.json' });
    const cases: Array<[unknown, string]> = [
      [{ call: READ_CALL, runpack_out: 'x.zip' }, 'request.runpack_out is not supported by this server (runpacks are not implemented)'],
      [{ call: READ_CALL, emit_runpack: true }, 'request.emit_runpack is not supported by this server (runpacks are not implemented)'],
      [{ call: READ_CALL, pack_out: 'x.zip' }, 'request.pack_out is not supported by this server (packs are not implemented)'],
      [{ call: READ_CALL, emit_pack: true }, 'request.emit_pack is not supported by this server (packs are not implemented)'],
      [{ call: READ_CALL, session_id: 's', session_journal: 'j.jsonl' }, 'request.session_journal is not supported by this server (session journals are not implemented)'],
      [{ call: EXEC_CALL, session_journal: 'j.jsonl' }, 'request.session_journal is not supported by this server (session journals are not implemented)'],
    ];
    for (const [body, message] of cases) await expectError(allowed, post('/v1/evaluate', JSON.stringify(body)), 400, message);
    // Without a session id Gait ignores session_journal, allowed or not.
    expect((await answer(allowed, post('/v1/evaluate', JSON.stringify({ call: READ_CALL, session_journal: 'j.jsonl' })))).status).toBe(200);
    const kept = JSON.parse((await answer(allowed, post('/v1/evaluate', JSON.stringify({ call: READ_CALL, trace_path: ' mine.json ' })))).text);
    expect(kept.trace_path).toBe('kept.json');
  });

  it('the trace sink gets the client path (when allowed) and the normalized request run id', async () => {
    const seen: unknown[] = [];
    const handler = service({ allowClientArtifactPaths: true, traceSink: (trace, target) => { seen.push([trace.trace_id, target]); return 'written.json'; } });
    const out = JSON.parse((await answer(handler, post('/v1/evaluate', JSON.stringify({ call: READ_CALL, run_id: ' my run!! ', trace_path: ' t.json ' })))).text);
    expect(out.trace_path).toBe('written.json');
    expect(seen).toEqual([[out.trace_id, { path: 't.json', runId: 'run_my_run' }]]);
  });
});

describe('verdicts, status mapping and framing', () => {
  const compat = service();
  const strict = service({ verdictStatus: 'strict' });
  const bodyOf = (call: unknown) => JSON.stringify({ call });
  it('compat: 200 for every verdict; strict: 403 block, 409 require_approval and dry_run', async () => {
    for (const [call, verdict, exit, strictStatus] of [[READ_CALL, 'allow', 0, 200], [EXEC_CALL, 'block', 3, 403], [WRITE_CALL, 'require_approval', 4, 409], [DEPLOY_CALL, 'dry_run', 0, 409]] as const) {
      const c = await answer(compat, post('/v1/evaluate', bodyOf(call)));
      const s = await answer(strict, post('/v1/evaluate', bodyOf(call)));
      expect([c.status, JSON.parse(c.text).verdict, JSON.parse(c.text).exit_code]).toEqual([200, verdict, exit]);
      expect([s.status, JSON.parse(s.text).verdict]).toEqual([strictStatus, verdict]);
    }
    await expectError(strict, post('/v1/evaluate', '{}'), 400, 'request.call is required');
  });

  it('struct key order, exit_code last, one line with a newline; /stream is NDJSON; /sse one escaped event', async () => {
    const call = { name: 'tool.a<b&c' };
    const json = await answer(compat, post('/v1/evaluate', bodyOf(call)));
    expect(json.type).toBe('application/json');
    expect(json.text.endsWith('}\n')).toBe(true);
    expect(json.text.split('\n')).toHaveLength(2);
    expect(json.text).toContain('"tool_name":"tool.a<b&c"');
    const keys = Object.keys(JSON.parse(json.text));
    expect(keys.slice(0, 4)).toEqual(['ok', 'executed', 'adapter', 'run_id']);
    expect(keys.at(-1)).toBe('exit_code');
    const stream = await answer(compat, post('/v1/evaluate/stream', bodyOf(call)));
    expect([stream.type, stream.text.replace(/"decision_latency_ms":\d+,/, '')]).toEqual(['application/x-ndjson', json.text.replace(/"decision_latency_ms":\d+,/, '')]);
    const sse = await answer(compat, post('/v1/evaluate/sse', bodyOf(call)));
    expect([sse.type, sse.headers.get('cache-control'), sse.headers.get('connection')]).toEqual(['text/event-stream', 'no-cache', 'keep-alive']);
    expect(sse.text).toMatch(/^event: evaluate\ndata: \{.*\}\n\n$/s);
    expect(sse.text).toContain('"tool_name":"tool.a\\u003cb\\u0026c"');
    // U+2028 is escaped by both encoders (Go's SetEscapeHTML(false) keeps that one).
    const separator = await answer(compat, post('/v1/evaluate', bodyOf({ name: 'tool.a\u2028b' })));
    expect(separator.text).toContain('"tool_name":"tool.a\\u2028b"');
  });

  it('errors on /sse and /stream are plain JSON errors', async () => {
    await expectError(compat, post('/v1/evaluate/sse', '{}'), 400, 'request.call is required');
    await expectError(compat, post('/v1/evaluate/stream', '{}'), 400, 'request.call is required');
  });

  it('retention warnings are appended after the proxy\'s', async () => {
    const handler = service({ retention: () => ['retention_trace_removed_age=0 removed_count=1'] });
    const out = JSON.parse((await answer(handler, post('/v1/evaluate', bodyOf(READ_CALL)))).text);
    expect(out.warnings.at(-1)).toBe('retention_trace_removed_age=0 removed_count=1');
  });

  it('the request session id is reported (Gait reports its journal\'s)', async () => {
    const out = JSON.parse((await answer(compat, post('/v1/evaluate', JSON.stringify({ call: READ_CALL, session_id: ' req/sess 1 ' })))).text);
    expect(out.session_id).toBe('req/sess 1');
    expect(Object.keys(out).indexOf('session_id')).toBe(Object.keys(out).indexOf('tool_name') - 1);
  });
});

describe('failures of the ports fail closed', () => {
  it('a policy that cannot be loaded is a 400 with its message; a bad call is reported first', async () => {
    const handler = service({ policy: () => { throw new GaitError('read policy: open p.yaml: no such file or directory'); } });
    await expectError(handler, post('/v1/evaluate', JSON.stringify({ call: READ_CALL })), 400, 'read policy: open p.yaml: no such file or directory');
    await expectError(handler, post('/v1/evaluate', JSON.stringify({ adapter: 'x', call: READ_CALL })), 400, 'unsupported adapter: x');
  });

  it('an unexpected exception anywhere is a 500 error, never a verdict', async () => {
    const throwing: Array<Partial<DecisionServiceOptions>> = [
      { policy: () => { throw new TypeError('boom'); } },
      { traceSink: () => { throw new RangeError('disk on fire'); } },
      { retention: () => { throw new Error('listing failed'); } },
    ];
    for (const extra of throwing) {
      const handler = service(extra);
      const a = await answer(handler, post('/v1/evaluate', JSON.stringify({ call: READ_CALL })));
      expect(a.status).toBe(500);
      expect(JSON.parse(a.text)).toEqual({ error: expect.stringMatching(/^internal error: /), ok: false });
    }
    await stillServes(service());
  });

  it('a GaitError from a port is Gait\'s 400', async () => {
    const handler = service({ traceSink: () => { throw new GaitError('relative trace path must not traverse parent directories'); } });
    await expectError(handler, post('/v1/evaluate', JSON.stringify({ call: READ_CALL })), 400, 'relative trace path must not traverse parent directories');
  });

  it('refuses unsafe or meaningless settings at construction', () => {
    expect(() => service({ maxRequestBytes: 0 })).toThrow('--max-request-bytes must be > 0');
    expect(() => service({ maxRequestBytes: 1.5 })).toThrow('--max-request-bytes must be > 0');
    expect(() => service({ verdictStatus: 'loose' })).toThrow('unsupported --http-verdict-status value (expected compat or strict)');
    // An unset environment variable must not turn authentication off.
    expect(() => service({ authToken: '' })).toThrow('authToken must not be blank');
    expect(() => service({ authToken: '  ' })).toThrow('authToken must not be blank');
  });
});
