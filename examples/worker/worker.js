// A Cloudflare Worker that gates intents: POST an intent (JSON) and get the decision JSON back,
// the object `gait gate eval --json` prints (without trace fields). Run it locally, no account:
//   npm run build && npx workerd serve examples/worker/config.capnp
//   curl -s localhost:8787 -d '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"low"}}'
// The workerd build imports core.wasm as a module (workerd refuses to compile WebAssembly from
// bytes), so the engine is ready at once; the policy is loaded once, when the worker starts.
import { createGate, GaitError } from './gait/bundle/workerd.js';
import policy from './policy.yaml';

const gate = createGate(policy);
const json = (body, status = 200) => new Response(JSON.stringify(body) + '\n', { status, headers: { 'content-type': 'application/json' } });

export default {
  async fetch(request) {
    if (request.method !== 'POST') {
      return json({ ok: false, error: 'POST an intent (JSON) to get the gate decision', policy_digest: gate.policyDigest }, 405);
    }
    const text = await request.text();
    try {
      // 200 with the decision for every verdict: the caller enforces it (allow runs the tool).
      return json(gate.check(text));
    } catch (err) {
      // Invalid intents never get a verdict: 400 with the reason (the tool must not run).
      if (err instanceof GaitError) return json({ ok: false, error: err.message, error_category: err.category }, 400);
      return json({ ok: false, error: 'internal error' }, 500);
    }
  },
};
