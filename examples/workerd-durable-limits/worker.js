// A Cloudflare Worker that runs the whole gate (`gate.enforce`: `gait gate eval`'s pipeline) on
// POSTed intents: rate limits and destructive budgets counted in a Durable Object, so they hold
// across every isolate and location, and signed approval tokens for `require_approval` calls.
// POST an intent (JSON), or `{"intent": …, "approval_tokens": [token, …]}`; get back the object
// `gait gate eval --json` prints. Signed traces go to the log (the artifact sink).
// Run it locally, no account (from the repository root, after `npm run build`):
//   mkdir -p .gait-out/durable-limits
//   npx workerd serve examples/workerd-durable-limits/config.capnp
//   curl -s localhost:8787 -d '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"low"}}'
// In production, set the trace signing key as a secret (`wrangler secret put GAIT_SIGNING_KEY`,
// Gait's base64 private-key text); without it traces are signed with a throw-away key and the
// result says so in `warnings`.
import { createGate, durableObjectLimitStore, GaitError, GaitLimits } from './gait/bundle/workerd.js';
import policy from './policy.yaml';
import approverPublicKey from './approver_public.key';

// The Durable Object class must be exported by the worker's main module to be bound.
export { GaitLimits };

const gate = createGate(policy);
const json = (body, status = 200) => new Response(JSON.stringify(body) + '\n', { status, headers: { 'content-type': 'application/json' } });

/** The intent and its approval tokens from a request body. */
function parseBody(text) {
  const body = JSON.parse(text);
  if (body && typeof body === 'object' && !Array.isArray(body) && 'intent' in body && !('tool_name' in body)) {
    return { intent: body.intent, tokens: Array.isArray(body.approval_tokens) ? body.approval_tokens : [] };
  }
  return { intent: text, tokens: [] };
}

export default {
  async fetch(request, env) {
    if (request.method !== 'POST') {
      return json({ ok: false, error: 'POST an intent (JSON) to get the gate decision', policy_digest: gate.policyDigest }, 405);
    }
    // shard: 'identity' would give each identity its own object; this policy has no tool-scoped limits.
    const limitStore = durableObjectLimitStore(env.LIMITS, { timeoutMs: 2000 });
    try {
      const { intent, tokens } = parseBody(await request.text());
      const { result } = await gate.enforce(intent, {
        limitStore,
        signingKey: env.GAIT_SIGNING_KEY,
        approval: { tokens, verifyKey: approverPublicKey },
        sink: (artifact) => console.log(JSON.stringify({ [artifact.kind]: artifact.record })),
      });
      // 200 with the decision for every verdict (a store that cannot answer is a block with
      // limit_store_unavailable): the caller enforces it, and only `allow` runs the tool.
      return json(result);
    } catch (err) {
      // Invalid intents never get a verdict: 400 with the reason (the tool must not run).
      if (err instanceof GaitError) return json({ ok: false, error: err.message, error_category: err.category }, 400);
      if (err instanceof SyntaxError) return json({ ok: false, error: `request body: ${err.message}`, error_category: 'invalid_input' }, 400);
      return json({ ok: false, error: 'internal error' }, 500);
    }
  },
};
