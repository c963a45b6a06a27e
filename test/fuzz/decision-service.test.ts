// Property-based tests of the decision service (security review): whatever arrives, the handler
// answers (never rejects, never a 500), an error never carries a verdict, and an evaluated answer's
// status, verdict and exit code agree. Settings, seeds and replay: test/fuzz/settings.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { instantiateSync, createGate } from '../../bindings/index.js';
import { createDecisionService } from '../../bindings/mcp/decision-service.js';
import { FIXTURES, ROOT, mutatedJson, mutatedText, oddJsonArb } from './arbitraries.js';
import { property } from './settings.js';

const engine = instantiateSync(readFileSync(join(ROOT, 'dist/core.wasm')));
const gate = createGate(engine, readFileSync(join(FIXTURES, 'mcp/policies/rules.yaml'), 'utf8'));
const services = [100, 1 << 20].flatMap((maxRequestBytes) => (['compat', 'strict'] as const).map((verdictStatus) => ({
  verdictStatus, handle: createDecisionService({ policy: gate, maxRequestBytes, verdictStatus, traceSink: () => 'kept' }),
})));

const EXIT: Record<string, number> = { allow: 0, dry_run: 0, block: 3, require_approval: 4 };
const STRICT: Record<string, number> = { allow: 200, dry_run: 409, block: 403, require_approval: 409 };

async function check(service: (typeof services)[number], request: Request): Promise<void> {
  const res = await service.handle(request);
  const text = await res.text();
  expect([200, 307, 400, 401, 403, 404, 405, 409, 413, 415]).toContain(res.status);
  if (res.status === 404 || res.status === 307) return void expect(text).not.toContain('verdict');
  if (new URL(request.url).pathname === '/healthz' && res.status === 200) return void expect(text).toBe('{"ok":true,"service":"gait.mcp.serve"}\n');
  const body = JSON.parse(text.startsWith('event: ') ? text.slice(text.indexOf('data: ') + 6) : text) as Record<string, unknown>;
  if (body['ok'] !== true) {
    expect(Object.keys(body)).toEqual(['error', 'ok']);
    expect(body['ok']).toBe(false);
    expect(res.status).not.toBe(200);
    return;
  }
  const verdict = body['verdict'] as string;
  expect(Object.keys(EXIT)).toContain(verdict);
  expect(body['exit_code']).toBe(EXIT[verdict]);
  expect(res.status).toBe(service.verdictStatus === 'strict' ? STRICT[verdict] : 200);
}

const NAMES = ['tool.read', 'tool.exec', 'tool.write', 'tool.deploy', 'tool.delegate', 'Bash', ' ', 'x<y'];
const callArb = fc.record({
  name: fc.constantFrom(...NAMES),
  args: oddJsonArb,
  targets: fc.array(fc.record({ kind: fc.constantFrom('path', 'url', 'host', 'planet'), value: fc.string(), operation: fc.constantFrom('read', 'write', 'execute', '') }), { maxLength: 2 }),
  context: fc.record({ identity: fc.string(), session_id: fc.string(), risk_class: fc.constantFrom('low', 'high', ''), job_id: fc.constantFrom('', 'job-1') }, { requiredKeys: [] }),
}, { requiredKeys: ['name'] });
const requestArb = fc.record({
  adapter: fc.constantFrom('mcp', 'openai', 'anthropic', 'claude_code', 'langchain', 'bogus', ''),
  call: callArb,
  run_id: fc.string(),
  trace_path: fc.constantFrom('', 'x.json'),
  emit_pack: fc.boolean(),
  session_journal: fc.constantFrom('', 'j.jsonl'),
}, { requiredKeys: ['call'] });

const PATHS = ['/v1/evaluate', '/v1/evaluate/sse', '/v1/evaluate/stream', '/healthz', '//v1/evaluate', '/nope'];
const CONTENT_TYPES = [undefined, 'application/json', 'text/plain', 'application/json; charset=utf-8', 'application/json; =x'];

describe('fuzz: the decision service always answers, and never with a verdict on error', () => {
  it('any bytes, method, path and content type', async () => {
    await property('decision service: raw requests', 'library', 150, fc.asyncProperty(
      fc.constantFrom(...services), fc.constantFrom('GET', 'POST', 'PUT'), fc.constantFrom(...PATHS), fc.constantFrom(...CONTENT_TYPES),
      fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedText(requestArb.map((r) => JSON.stringify(r)))),
      async (service, method, path, type, body) => {
        const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
        await check(service, new Request(`http://h${path}`, { method, headers: type ? { 'Content-Type': type } : {}, body: method === 'GET' ? undefined : bytes }));
      },
    ));
  });

  it('mutated evaluate requests', async () => {
    await property('decision service: mutated requests', 'library', 150, fc.asyncProperty(
      fc.constantFrom(...services), fc.constantFrom('/v1/evaluate', '/v1/evaluate/sse', '/v1/evaluate/stream'), mutatedJson(requestArb),
      async (service, path, value) => {
        const body = new TextEncoder().encode(JSON.stringify(value) ?? '');
        await check(service, new Request(`http://h${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }));
      },
    ));
  });
});
