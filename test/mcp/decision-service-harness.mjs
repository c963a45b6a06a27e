// Runs createDecisionService from one runtime entry's bundle (argv: bundle path, policy path) on a
// fixed list of requests and prints each answer as a JSON line (status, content type, body without
// the latency). Used by decision-service-runtimes.test.ts under Node, Deno and Bun.
const [bundle, policyPath] = globalThis.Deno ? Deno.args : process.argv.slice(2);
const api = await import(bundle);
const policy = globalThis.Deno ? await Deno.readTextFile(policyPath) : (await import('node:fs')).readFileSync(policyPath, 'utf8');
const handle = api.createDecisionService({
  policy: api.createGate(policy),
  verdictStatus: 'strict',
  authToken: 's3cret',
  traceSink: (trace, target) => `mem://${target.runId}/${trace.trace_id}`,
});
const auth = { authorization: 'Bearer s3cret', 'content-type': 'application/json' };
const requests = [
  ['GET', '/healthz', {}, null],
  ['POST', '/v1/evaluate', {}, '{}'],
  ['POST', '/v1/evaluate', auth, '{"call":{"name":"tool.exec","args":{"command":"ls"}},"run_id":"r1"}'],
  ['POST', '/v1/evaluate/sse', auth, '{"call":{"name":"tool.<b>","targets":[{"kind":"url","value":"https://api.external.com/x"}]}}'],
  ['POST', '/v1/evaluate/stream', auth, '{"call":{"name":"tool.deploy"}}'],
  ['POST', '/v1/evaluate', auth, '{"call":{"name":"tool.read"}} x'],
  ['POST', '/v1/evaluate', { ...auth, 'content-type': 'text/plain' }, '{}'],
  ['POST', '/v1/evaluate', auth, '{"adapter":"anthropic","call":{"name":"x","input":"s"}}'],
  ['GET', '/nope', {}, null],
];
for (const [method, path, headers, body] of requests) {
  const res = await handle(new Request(`http://127.0.0.1${path}`, { method, headers, body: body === null ? undefined : new TextEncoder().encode(body) }));
  const text = (await res.text()).replace(/"decision_latency_ms":\d+,/, '');
  console.log(JSON.stringify({ status: res.status, type: res.headers.get('content-type'), body: text }));
}
