// A Cloudflare Worker that gates intents with rate limits and destructive budgets counted in a
// Durable Object, so the limits hold across every isolate and location. POST an intent (JSON),
// get the decision JSON back (the object `gait gate eval --json` prints, without trace fields).
// Run it locally, no account (from the repository root, after `npm run build`):
//   mkdir -p .gait-out/durable-limits
//   npx workerd serve examples/workerd-durable-limits/config.capnp
//   curl -s localhost:8787 -d '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"low"}}'
import { createGate, decide, decisionPayload, durableObjectLimitStore, GaitError, GaitLimits, limitRequests, limitsOutcome, LimitStoreError, needsCounters, nowTime } from './gait/bundle/workerd.js';
import policy from './policy.yaml';

// The Durable Object class must be exported by the worker's main module to be bound.
export { GaitLimits };

const gate = createGate(policy);
const json = (body, status = 200) => new Response(JSON.stringify(body) + '\n', { status, headers: { 'content-type': 'application/json' } });

/** The decision for one intent, its limits counted in the Durable Object (a store call per evaluation). */
async function gateIntent(text, store) {
  // TODO(gate.enforce): once the pipeline lands, this whole function becomes
  // `await gate.enforce(text, { limitStore: store })`, which also turns a LimitStoreError into a
  // block with reason code limit_store_unavailable.
  const evaluation = gate.evaluate(text);
  let limits;
  if (needsCounters(evaluation)) {
    const requests = limitRequests(evaluation, nowTime(), gate.policy.rules);
    limits = limitsOutcome(requests, await store.consume(requests));
  }
  return decisionPayload(decide(evaluation, { limits }));
}

export default {
  async fetch(request, env) {
    if (request.method !== 'POST') {
      return json({ ok: false, error: 'POST an intent (JSON) to get the gate decision', policy_digest: gate.policyDigest }, 405);
    }
    // shard: 'identity' would give each identity its own object; this policy has no tool-scoped limits.
    const store = durableObjectLimitStore(env.LIMITS, { timeoutMs: 2000 });
    const text = await request.text();
    try {
      // 200 with the decision for every verdict: the caller enforces it (allow runs the tool).
      return json(await gateIntent(text, store));
    } catch (err) {
      // Invalid intents never get a verdict: 400 with the reason (the tool must not run).
      if (err instanceof GaitError) return json({ ok: false, error: err.message, error_category: err.category }, 400);
      // The counters could not be checked: fail closed (the tool must not run).
      if (err instanceof LimitStoreError) return json({ ok: false, verdict: 'block', reason_codes: [err.code], error: err.message }, 503);
      return json({ ok: false, error: 'internal error' }, 500);
    }
  },
};
