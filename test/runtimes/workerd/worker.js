// Conformance worker: POST a corpus case {policy, intent} and get its result line back, as
// conformance/runner.mjs serializes it. GET /bad-input reports how bad input fails here.
import * as gait from './gait/bundle/workerd.js';
import { caseRunner } from './conformance/runner.mjs';

const run = caseRunner(gait);

const EMPTY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const INTENT = { tool_name: 'tool.write', context: { identity: 'a', workspace: '/w', risk_class: 'low' } };

/** Each way of failing: the error's name and message, and whether a gated tool ran. */
async function badInput() {
  const out = {};
  const attempt = async (name, f) => {
    try {
      await f();
      out[name] = { ok: true };
    } catch (err) {
      out[name] = { name: err.name, message: err.message, gait: err instanceof gait.GaitError };
    }
  };
  await attempt('bytes', () => gait.init(EMPTY_MODULE));
  await attempt('response', () => gait.init(new Response(EMPTY_MODULE, { headers: { 'content-type': 'application/wasm' } })));
  await attempt('policy', () => gait.createGate('default_verdict: [\n'));
  let executed = 0;
  const adapter = new gait.ToolAdapter(gait.createGate('default_verdict: allow\n'));
  await attempt('intent', () => adapter.execute({ intent: { tool_name: '' }, executor: () => executed++ }));
  await attempt('allowed', () => adapter.execute({ intent: INTENT, executor: () => executed++ }));
  out.executed = executed;
  return out;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method === 'GET' && url.pathname === '/bad-input') return Response.json(await badInput());
    if (request.method !== 'POST') return new Response(`gait-wasm ${gait.RUNTIME_ENTRY} conformance worker\n`);
    let c;
    try {
      c = await request.json();
    } catch {
      return new Response('body must be JSON {policy, intent}\n', { status: 400 });
    }
    return new Response(await run(c), { headers: { 'content-type': 'application/json' } });
  },
};
